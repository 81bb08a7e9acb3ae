import type { Case, CaseOutcome, CasePriority, CaseStatus, ChatState, NewCase } from '../handoff/case';
import { createCaseReference } from '../handoff/caseReference';

/** The part of a case kept as JSON: everything that is not a queryable column. */
export type CaseContent = Omit<NewCase, 'team' | 'priority' | 'serviceId'>;

/** The queryable columns of a stored case, as both case stores read them back (null where unset). */
export interface CaseColumns {
    readonly reference: string;
    readonly createdAt: string;
    readonly status: CaseStatus;
    readonly team: string;
    readonly priority: CasePriority;
    readonly serviceId: string | null;
    readonly claimedBy: string | null;
    readonly claimedAt: string | null;
    readonly closedAt: string | null;
    readonly outcome: CaseOutcome | null;
    readonly chat: ChatState | null;
    readonly purgedAt: string | null;
}

/** The chat state a new case starts in: waiting for an agent when the resident chose to carry on in the chat. */
export function initialChatState(newCase: NewCase): ChatState | null {
    return newCase.details.contactMethod === 'chat' ? 'waiting' : null;
}

/** SQL (the same for both stores) for the chat state after a claim, a close and the resident leaving. */
export const chatStateAfter = {
    claim: "CASE WHEN chat_state = 'waiting' THEN 'connected' ELSE chat_state END",
    close: "CASE WHEN chat_state IN ('waiting', 'connected') THEN 'ended' ELSE chat_state END",
} as const;

/** The CHECK constraint of the chat state column. */
export const chatStateCheck = "CHECK (chat_state IN ('waiting', 'connected', 'ended', 'timedOut'))";

/** Settings shared by the case stores; the defaults suit production, tests replace them. */
export interface CaseStoreOptions {
    /** Makes a reference for a new case. */
    readonly newReference?: (prefix: string) => string;
    /** The current time. */
    readonly now?: () => Date;
}

/** A case store was asked about a case it does not hold. */
export class CaseNotFoundError extends Error {
    readonly code = 'CASE_NOT_FOUND';
    constructor(reference: string) {
        super(`There is no case with the reference "${reference}".`);
        this.name = 'CaseNotFoundError';
    }
}

/** Every reference tried for a new case was taken. */
export class CaseReferenceError extends Error {
    readonly code = 'CASE_REFERENCE_EXHAUSTED';
    constructor(prefix: string, attempts: number) {
        super(
            `No free case reference for prefix "${prefix}" after ${attempts} attempts: ` +
                'the reference space may be nearly full; purge old cases or change the prefix.',
        );
        this.name = 'CaseReferenceError';
    }
}

// The first try plus 5 retries. With 30^5 (24 million) codes per prefix a collision is rare, so 6 in a row
// means something is wrong (a broken random source or a nearly full space), not bad luck.
const referenceAttempts = 6;

/**
 * Inserts a new case under fresh references until one is free; `insert` returns undefined when its reference
 * was taken.
 */
export async function insertWithFreshReference(
    prefix: string,
    newReference: (prefix: string) => string,
    insert: (reference: string) => Promise<Case | undefined>,
): Promise<Case> {
    for (let attempt = 0; attempt < referenceAttempts; attempt++) {
        const created = await insert(newReference(prefix));
        if (created) return created;
    }
    throw new CaseReferenceError(prefix, referenceAttempts);
}

/** The defaults for the case store options. */
export function caseStoreDefaults(options: CaseStoreOptions): Required<CaseStoreOptions> {
    return {
        newReference: options.newReference ?? ((prefix) => createCaseReference(prefix)),
        now: options.now ?? (() => new Date()),
    };
}

/** Splits off the JSON part of a new case. */
export function caseContent(newCase: NewCase): CaseContent {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- these three are columns, not content
    const { team, priority, serviceId, ...content } = newCase;
    return content;
}

/** Puts a stored case back together, leaving unset fields out (so a case read back deep-equals the one created). */
export function caseFromRecord(columns: CaseColumns, content: CaseContent): Case {
    const optional = {
        serviceId: columns.serviceId,
        claimedBy: columns.claimedBy,
        claimedAt: columns.claimedAt,
        closedAt: columns.closedAt,
        outcome: columns.outcome,
        chat: columns.chat,
        purgedAt: columns.purgedAt,
    };
    return {
        ...content,
        reference: columns.reference,
        createdAt: columns.createdAt,
        status: columns.status,
        team: columns.team,
        priority: columns.priority,
        ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
    };
}

/** The content that remains when the retention period ends: what reports need, without personal data. */
export function purgedContent(content: CaseContent): CaseContent {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the answer may quote the resident's details
    const { assistantAnswer, ...kept } = content;
    return {
        ...kept,
        residentWords: '',
        transcript: [],
        // The reply address is only for a live chat, long over; some channels' user ids are personal too.
        conversation: {},
        details: { name: '', contactMethod: content.details.contactMethod, consent: content.details.consent },
    };
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * JSON for the content column. PostgreSQL's jsonb refuses NUL characters and unpaired surrogates, which would
 * lose the case, so both stores drop NULs and replace unpaired surrogates with U+FFFD, and behave alike.
 */
export function toContentJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        typeof v === 'string' ? v.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD') : v,
    );
}
