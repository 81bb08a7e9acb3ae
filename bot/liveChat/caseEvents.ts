import { EventEmitter } from 'node:events';
import type { Case, TranscriptEntry } from '../handoff/case';

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
    private readonly emitter = new EventEmitter();

    constructor() {
        // One listener per open agent page; there is no leak to warn about.
        this.emitter.setMaxListeners(0);
    }

    publish(event: CaseEvent): void {
        this.emitter.emit('event', event);
    }

    /** Calls `listener` with every event from now on; returns how to stop. */
    subscribe(listener: (event: CaseEvent) => void): () => void {
        this.emitter.on('event', listener);
        return () => this.emitter.off('event', listener);
    }
}
