import type { Case, CaseOutcome, NewCase, TranscriptEntry } from '../handoff/case';
import type { DeliveryTransport } from './outbox';

/**
 * Where cases live. A case is written durably before the resident is told its reference, and never lives only
 * in conversation state. Implementations: SQLite (the embedded default) and PostgreSQL (scale-out), both
 * passing test/bot/stores/caseStore.contract.ts.
 */
export interface CaseStore {
    /**
     * Stores a new case with a fresh unique reference (`prefix` + 5 characters) and returns it once durable; in the
     * same transaction it adds one outbox item per transport in `deliveries`, so a stored case is never undelivered.
     */
    create(
        newCase: NewCase,
        prefix: string,
        deliveries?: readonly DeliveryTransport[],
        /**
         * Makes creating idempotent: a second create with the same key returns the first case instead of a new one
         * (two racing turns from the same conversation state, of which one will be run again).
         */
        idempotencyKey?: string,
    ): Promise<Case>;
    get(reference: string): Promise<Case | undefined>;
    /** Waiting cases, urgent first, then the longest waiting; only one team's when `team` is given. */
    queue(team?: string): Promise<Case[]>;
    /**
     * Gives a queued case to an agent (a waiting live chat becomes connected); undefined when it was not queued
     * (someone else got it first). Atomic.
     */
    claim(reference: string, agentId: string): Promise<Case | undefined>;
    /** Closes a claimed case with an outcome (ending its live chat); undefined when it is not claimed by this agent. */
    closeCase(reference: string, agentId: string, outcome: CaseOutcome): Promise<Case | undefined>;
    /**
     * Makes a case urgent because a safety rule fired after it was created (in a live chat), so it moves up the
     * queue and the agent sees why; undefined for an unknown case.
     */
    markUrgent(reference: string, safetyRule: string): Promise<Case | undefined>;
    /** Ends a live chat the resident left; undefined when the case had no live chat waiting or connected. */
    endChat(reference: string): Promise<Case | undefined>;
    /**
     * Marks live chats still waiting for an agent and created before `before` as timed out, and returns them, so
     * the resident can be told the fallback contact applies. Atomic: across instances each case is returned once.
     */
    expireWaitingChats(before: Date): Promise<Case[]>;
    /**
     * Adds a line to a case's transcript (live chat) and returns its position (1 for the first line), which agents'
     * pages use to resume their live updates without missing or repeating a line.
     */
    appendTranscript(reference: string, entry: TranscriptEntry): Promise<number>;
    /**
     * Removes the personal content (transcript, resident's words, the assistant's answer, contact details) of
     * cases created before `before`, keeping what reports need. Returns how many cases were purged.
     */
    purge(before: Date): Promise<number>;
    /** True when the database answers. */
    isReachable(): Promise<boolean>;
    /** Releases the database (at shutdown). */
    close(): Promise<void>;
}
