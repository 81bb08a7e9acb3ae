import { randomUUID } from 'node:crypto';
import type { Case, TranscriptEntry } from '../handoff/case';
import type { Logger } from '../logger';
import type { CaseStore } from '../stores/caseStore';
import type { Signals } from '../stores/signals';

/** Something happened to a case that an agent's open page should show at once. */
export type CaseEvent =
    /** A line was added to the live chat (by the resident or an agent) at `position` in the transcript (1 = first). */
    | { readonly type: 'line'; readonly reference: string; readonly entry: TranscriptEntry; readonly position: number }
    /** The case or its live chat changed state (claimed, closed, the resident left, the chat timed out). */
    | { readonly type: 'changed'; readonly case: Case };

/** What crosses between instances: only ids, since the case itself is in the shared store. */
interface Relayed {
    readonly from: string;
    readonly type: CaseEvent['type'];
    readonly reference: string;
    readonly position?: number;
}

/**
 * Tells the agent console's open pages what happened to cases. Listeners in this process hear at once; with
 * `relay`, other instances hear too: the event crosses as the case's reference (and the line's position), and
 * each instance reads the case from the shared store, so a resident on one instance reaches an agent on another.
 */
export class CaseEvents {
    private readonly listeners = new Set<(event: CaseEvent) => void>();
    private readonly instance = randomUUID();
    private readonly stopRelay: () => void;

    constructor(
        private readonly log: Logger,
        private readonly relay?: { readonly signals: Signals; readonly cases: Pick<CaseStore, 'get'> },
    ) {
        this.stopRelay =
            relay?.signals.subscribe('case_events', (payload) => void this.received(payload)) ?? (() => {});
    }

    /** Tells every listener; one that fails is logged and never stops the others or the publisher. */
    publish(event: CaseEvent): void {
        this.deliver(event);
        if (!this.relay) return;
        const relayed: Relayed = {
            from: this.instance,
            type: event.type,
            reference: event.type === 'line' ? event.reference : event.case.reference,
            ...(event.type === 'line' && { position: event.position }),
        };
        this.relay.signals.publish('case_events', JSON.stringify(relayed)).catch((error: unknown) => {
            // Other instances' pages catch up on their next event or reload; this instance's already know.
            this.log.warn('case_events.relay_failed', { type: event.type, error });
        });
    }

    /** Calls `listener` with every event from now on; returns how to stop. */
    subscribe(listener: (event: CaseEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Stops hearing other instances. */
    close(): void {
        this.stopRelay();
    }

    private deliver(event: CaseEvent): void {
        for (const listener of [...this.listeners]) {
            try {
                listener(event);
            } catch (error) {
                this.log.error('case_events.listener_failed', { type: event.type, error });
            }
        }
    }

    private async received(payload: string): Promise<void> {
        if (!this.relay || this.listeners.size === 0) return;
        try {
            const relayed = JSON.parse(payload) as Relayed;
            if (relayed.from === this.instance) return;
            const found = await this.relay.cases.get(relayed.reference);
            if (!found) return;
            if (relayed.type === 'changed') return this.deliver({ type: 'changed', case: found });
            const position = relayed.position ?? 0;
            const entry = found.transcript[position - 1];
            if (entry) this.deliver({ type: 'line', reference: found.reference, entry, position });
        } catch (error) {
            this.log.warn('case_events.relay_unreadable', { error });
        }
    }
}
