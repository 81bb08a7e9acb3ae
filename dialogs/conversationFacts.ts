import type { TranscriptEntry } from '../bot/handoff/case';
import type { Subject } from '../knowledge/followUp';

/**
 * What the assistant remembers about a conversation between turns (stored in conversation state, which expires
 * when the conversation goes quiet; a case copies what it needs and is kept on its own retention period).
 */
export interface ConversationFacts {
    /** The partner site the conversation started on, when embedded (recorded in its case). */
    site?: string;
    /** The welcome has been sent (once per conversation, however many members join). */
    welcomed?: boolean;
    /** The service last answered: "talk to a person" then means its team. */
    lastServiceId?: string;
    /** The service last answered, when and at which message: a follow-up ("how much is it") can refer to it. */
    subject?: Subject;
    /** Messages the resident has sent in this conversation (a follow-up must come within a few of the answer). */
    messages?: number;
    /** The resident's last question that was routed, for the case summary. */
    lastQuestion?: string;
    /** The safety rule that fired in this conversation: a case then has urgent priority. */
    safetyRule?: string;
    /** Messages in a row the assistant did not understand; the second one offers a person. */
    notKnownStreak?: number;
    /** The resident's language code. */
    language?: string;
    /** The reference of the case this conversation last created (for handoff.status events). */
    lastCaseReference?: string;
    /** A handoff event was sent for that case, so a `handoff.status` reply about it is expected. */
    handoffEventSent?: boolean;
    /**
     * How the last question was routed, for the staff diagnostics (`/why`); kept like `lastQuestion`, only in
     * conversation state (the analysed words lose emails, numbers and postcodes, not names).
     */
    lastDecision?: {
        readonly words: string;
        readonly outcome: string;
        readonly candidates: readonly { readonly service: string; readonly score: number }[];
        readonly serviceId?: string;
        readonly file?: string;
        /** Set when the message was taken as a follow-up: the service it followed up, and the rule that said so. */
        readonly followUp?: { readonly subject: string; readonly rule: string };
    };
    /** The conversation so far (the most recent entries), copied into a case when one is created. */
    transcript?: TranscriptEntry[];
}
