/**
 * Short messages between the parts of the service that must hear of each other's changes at once: an agent's
 * page hearing of a resident's line, a Direct Line stream hearing of a bot reply. `LocalSignals` stays in the
 * process (one instance); `PostgresSignals` reaches every instance on the database through LISTEN/NOTIFY.
 */
export interface Signals {
    /** Tells every subscriber of `channel`, in every instance (this one included). Payloads stay small: ids. */
    publish(channel: string, payload: string): Promise<void>;
    /** Calls `handler` with each payload published on `channel`; returns how to stop. */
    subscribe(channel: string, handler: (payload: string) => void): () => void;
    /** Calls `handler` after signals may have been missed (a lost connection, re-established); returns how to stop. */
    onResume(handler: () => void): () => void;
    close(): Promise<void>;
}

/** Signals within this process: everything a single instance needs. */
export class LocalSignals implements Signals {
    private readonly handlers = new Map<string, Set<(payload: string) => void>>();

    async publish(channel: string, payload: string): Promise<void> {
        for (const handler of [...(this.handlers.get(channel) ?? [])]) handler(payload);
    }

    subscribe(channel: string, handler: (payload: string) => void): () => void {
        const set = this.handlers.get(channel) ?? new Set();
        set.add(handler);
        this.handlers.set(channel, set);
        return () => set.delete(handler);
    }

    onResume(): () => void {
        // Nothing is ever missed within one process.
        return () => undefined;
    }

    async close(): Promise<void> {
        this.handlers.clear();
    }
}
