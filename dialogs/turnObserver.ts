import type { TurnContext } from 'botbuilder';
import type { Case } from '../bot/handoff/case';

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

/** A resident's answer to "Did this answer your question?". */
export interface FeedbackGiven {
    readonly serviceId: string;
    readonly helpful: boolean;
    /** The question the answer was for, in the resident's words (the observer must redact it before keeping it). */
    readonly question?: string;
}

/** Told of every decision the root dialog makes: insight events, the evaluation command and tests listen here. */
export interface TurnObserver {
    decided(context: TurnContext, decision: TurnDecision): void | Promise<void>;
    /** The resident said whether an answer helped. */
    feedback?(context: TurnContext, feedback: FeedbackGiven): void | Promise<void>;
    /** A case was stored for the conversation. */
    caseCreated?(context: TurnContext, created: Case): void | Promise<void>;
}
