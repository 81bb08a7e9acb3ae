import type { TurnOutcome } from '../../dialogs/turnObserver';
import type { CaseOutcome } from '../handoff/case';

/** What an event records: a turn's decision, feedback on an answer, a case created, a case closed by an agent. */
export type InsightKind = 'turn' | 'feedback' | 'case' | 'caseClaimed' | 'caseClosed';

/** Who the enquiry was for, from the service (`customerType` in its YAML). */
export type CustomerType = 'resident' | 'business';

/**
 * One thing that happened, as insight reports need it and nothing more: what was decided, never who said it.
 * The conversation is a pseudonym; the resident's text is kept only for turns the assistant could not answer or
 * that did not help, and only after redaction.
 */
export interface InsightEvent {
    /** ISO 8601 time. */
    readonly at: string;
    /** A pseudonym of the conversation (the same for all its events; not reversible to the channel's id). */
    readonly conversation: string;
    readonly kind: InsightKind;
    readonly channel: string;
    readonly site?: string;
    readonly language: string;
    readonly outcome?: TurnOutcome;
    readonly serviceId?: string;
    readonly score?: number;
    /** Why a person was offered, or which safety rule fired. */
    readonly reason?: string;
    /** Feedback on an answer: did it help? */
    readonly helpful?: boolean;
    readonly caseOutcome?: CaseOutcome;
    /** For a claimed case: minutes from the case being made to an agent claiming it. */
    readonly waitedMinutes?: number;
    readonly customerType: CustomerType;
    /** The resident's words, redacted: only on not-known turns and unhelpful feedback. */
    readonly text?: string;
}

/** Where insight events are kept: the SQLite file by default, PostgreSQL with DATABASE_URL (one contract). */
export interface InsightStore {
    record(event: InsightEvent): Promise<void>;
    /** The events from `from` (inclusive) to `to` (exclusive), oldest first. */
    between(from: Date, to: Date): Promise<InsightEvent[]>;
    /** Deletes events older than `before` (the retention period); returns how many. */
    purge(before: Date): Promise<number>;
    close(): Promise<void>;
}
