import type { Case, TranscriptEntry } from '../handoff/case';
import type { Logger } from '../logger';

/** Something happened to a case that an agent's open page should show at once. */
export type CaseEvent =
    /** A line was added to the live chat (by the resident or an agent) at `position` in the transcript (1 = first). */
    | { readonly type: 'line'; readonly reference: string; readonly entry: TranscriptEntry; readonly position: number }
    /** The case or its live chat changed state (claimed, closed, the resident left, the chat timed out). */
    | { readonly type: 'changed'; readonly case: Case };

/**
 * Tells the agent console's open pages what happened to cases. In-process: every event starts in this
 * process's turn or console request, which is all a single instance needs.
 */
export class CaseEvents {
    private readonly listeners = new Set<(event: CaseEvent) => void>();

    constructor(private readonly log: Logger) {}

    /** Tells every listener; one that fails is logged and never stops the others or the publisher. */
    publish(event: CaseEvent): void {
        for (const listener of [...this.listeners]) {
            try {
                listener(event);
            } catch (error) {
                this.log.error('case_events.listener_failed', { type: event.type, error });
            }
        }
    }

    /** Calls `listener` with every event from now on; returns how to stop. */
    subscribe(listener: (event: CaseEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
}
