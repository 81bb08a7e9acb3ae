import type { StoreItems } from 'botbuilder';
import type { Logger } from '../logger';
import { StorageConflictError, type StateStorage } from './stateStorage';

/** Conversations whose state is held in memory at most while the database is out (the oldest go first). */
const maxHeld = 10_000;

/**
 * Conversation state that outlives a database outage: when the database cannot be read or written, the turn
 * goes on with what this instance holds in memory (the state it could not write), so residents keep getting
 * answers; once the database answers again, held state is written back on the conversation's next turn. A lost
 * race (`StorageConflictError`) is not an outage and passes through. Cases never rely on this: a case that cannot
 * be stored is never reported as received.
 */
export class FallbackStorage implements StateStorage {
    private readonly held = new Map<string, object>();
    private degraded = false;

    constructor(
        private readonly inner: StateStorage,
        private readonly log: Logger,
    ) {}

    async read(keys: string[]): Promise<StoreItems> {
        let items: StoreItems = {};
        try {
            items = await this.inner.read(keys);
            this.recovered();
        } catch (error) {
            this.failed('read', error);
        }
        // Held state is newer than the database's: it is what the last turn could not write. `*` lets it overwrite.
        for (const key of keys) {
            const held = this.held.get(key);
            if (held) items[key] = { ...held, eTag: '*' };
        }
        return items;
    }

    async write(changes: StoreItems): Promise<void> {
        try {
            await this.inner.write(changes);
            for (const key of Object.keys(changes)) this.held.delete(key);
            this.recovered();
        } catch (error) {
            if (error instanceof StorageConflictError) throw error;
            this.failed('write', error);
            for (const [key, item] of Object.entries(changes)) {
                // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the eTag is the database's business
                const { eTag, ...data } = (item ?? {}) as { eTag?: string };
                this.held.delete(key);
                this.held.set(key, data);
                if (this.held.size > maxHeld) this.held.delete(this.held.keys().next().value as string);
            }
        }
    }

    async delete(keys: string[]): Promise<void> {
        for (const key of keys) this.held.delete(key);
        try {
            await this.inner.delete(keys);
        } catch (error) {
            this.failed('delete', error);
        }
    }

    deleteIdleSince(before: Date): Promise<number> {
        return this.inner.deleteIdleSince(before);
    }

    isReachable(): Promise<boolean> {
        return this.inner.isReachable();
    }

    close(): Promise<void> {
        return this.inner.close();
    }

    /** Conversations whose state is only in memory, waiting for the database. */
    get heldCount(): number {
        return this.held.size;
    }

    private failed(operation: string, error: unknown): void {
        if (!this.degraded) this.log.error('state.degraded', { operation, error });
        this.degraded = true;
    }

    private recovered(): void {
        if (this.degraded) this.log.info('state.recovered', { held: this.held.size });
        this.degraded = false;
    }
}
