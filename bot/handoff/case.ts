/** How urgent a case is: `urgent` when a safety rule fired or the resident is flagged vulnerable. */
export type CasePriority = 'urgent' | 'normal';

/** How the resident wants to hear back: live in this chat (with a phone or email fallback), by phone or by email. */
export type ContactMethod = 'chat' | 'phone' | 'email';

/**
 * Where a live chat is: waiting for an agent, connected to one, ended (by the agent closing the case or the
 * resident leaving), or timed out (no agent claimed it in time, or live chat closed: the fallback contact applies).
 */
export type ChatState = 'waiting' | 'connected' | 'ended' | 'timedOut';

/** Where a case is in its life. */
export type CaseStatus = 'queued' | 'claimed' | 'closed';

/** How an agent closed a case. */
export type CaseOutcome = 'resolved' | 'callback' | 'referred';

/** One line of the conversation, as the resident, the assistant or an agent said it. */
export interface TranscriptEntry {
    /** ISO 8601 time. */
    readonly at: string;
    readonly from: 'resident' | 'assistant' | 'agent';
    readonly text: string;
}

/** What the resident told the case capture dialog. */
export interface CaseDetails {
    readonly name: string;
    readonly contactMethod: ContactMethod;
    /** The number to use (for `chat`, the fallback when no agent can join). */
    readonly phone?: string;
    readonly email?: string;
    /** Only when the service needs one (`handoff.needsAddress`). */
    readonly address?: string;
    /** The resident agreed to share these details with the team. */
    readonly consent: boolean;
}

/** A case as the assistant creates it. */
export interface NewCase {
    readonly channel: string;
    /** The partner site the conversation came from, when embedded. */
    readonly site?: string;
    /** The Bot Framework conversation, so an agent's reply can reach the resident (a ConversationReference). */
    readonly conversation: Readonly<Record<string, unknown>>;
    readonly serviceId?: string;
    readonly serviceTitle?: string;
    /** The team whose queue receives the case (a team id from council.yaml). */
    readonly team: string;
    readonly priority: CasePriority;
    /** What the resident asked, in their own words. */
    readonly residentWords: string;
    /** What the assistant answered, if anything. */
    readonly assistantAnswer?: string;
    readonly details: CaseDetails;
    readonly flags: {
        readonly vulnerable: boolean;
        readonly safetyRule?: string;
        /** Why an urgent case looks automated (queued as normal for an agent to judge), when it does. */
        readonly automated?: string;
    };
    readonly language: string;
    readonly transcript: readonly TranscriptEntry[];
}

/** A stored case. */
export interface Case extends NewCase {
    /** Short and readable, e.g. `ATB-7K3F9`. */
    readonly reference: string;
    /** ISO 8601 time. */
    readonly createdAt: string;
    readonly status: CaseStatus;
    readonly claimedBy?: string;
    readonly claimedAt?: string;
    readonly closedAt?: string;
    readonly outcome?: CaseOutcome;
    /** Only for cases the resident wanted to carry on in this chat. */
    readonly chat?: ChatState;
    /** Set when the retention period ended and the personal content was removed. */
    readonly purgedAt?: string;
}
