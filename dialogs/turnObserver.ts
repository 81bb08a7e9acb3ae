import type { TurnContext } from 'botbuilder';

/** What the assistant decided to do with a resident's message. */
export type TurnOutcome = 'answer' | 'clarify' | 'not-known' | 'handoff' | 'urgent';

/** The decision of one turn, without the resident's words: safe to record for insight and diagnostics. */
export interface TurnDecision {
    readonly outcome: TurnOutcome;
    /** The service answered, or the services offered, in order. */
    readonly services: readonly string[];
    /** The best match score, when the router decided. */
    readonly score?: number;
    /** Why a person was offered, or which safety rule fired. */
    readonly reason?: string;
    /** The top candidates with their scores (for staff diagnostics). */
    readonly candidates?: ReadonlyArray<{ readonly service: string; readonly score: number }>;
}

/** Told of every decision the root dialog makes: insight events, the evaluation command and tests listen here. */
export interface TurnObserver {
    decided(context: TurnContext, decision: TurnDecision): void | Promise<void>;
}
