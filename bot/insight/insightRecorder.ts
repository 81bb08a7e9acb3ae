import type { TurnContext } from 'botbuilder';
import type { KnowledgeSource } from '../../dialogs/dialogContext';
import type { FeedbackGiven, TurnDecision, TurnObserver } from '../../dialogs/turnObserver';
import { redactPersonalData } from '../../knowledge/personalData';
import { turnOrigin } from '../turnOrigin';
import type { Case } from '../handoff/case';
import type { Logger } from '../logger';
import { mac } from '../signedValue';
import type { CustomerType, InsightEvent, InsightStore } from './insightEvent';

/** The most of a resident's (redacted) words an event keeps: enough to see what was asked. */
const textLimit = 300;

/** What the recorder needs. */
export interface InsightRecorderOptions {
    readonly store: InsightStore;
    readonly knowledge: KnowledgeSource;
    /** Keys the conversation pseudonyms (they cannot be turned back into the channel's conversation id). */
    readonly secret: string;
    readonly log: Logger;
    readonly now?: () => Date;
}

/**
 * Turns what the assistant decides into insight events: a turn's outcome, feedback, a case created, a case an
 * agent closed. Keeps no personal data: the conversation is a keyed pseudonym, and the resident's words are kept
 * only for not-known turns and unhelpful answers, after redaction. Recording never fails a turn: a store error is
 * logged and the resident carries on.
 */
export class InsightRecorder implements TurnObserver {
    private readonly now: () => Date;

    constructor(private readonly options: InsightRecorderOptions) {
        this.now = options.now ?? (() => new Date());
    }

    /** The pseudonym of a conversation, the same for all its events. */
    pseudonym(channelId: string, conversationId: string): string {
        return mac(this.options.secret, `insight:${channelId}:${conversationId}`).slice(0, 22);
    }

    async decided(context: TurnContext, decision: TurnDecision): Promise<void> {
        const serviceId = decision.outcome === 'answer' ? decision.services[0] : undefined;
        await this.record(context, {
            kind: 'turn',
            outcome: decision.outcome,
            ...(serviceId && { serviceId }),
            ...(decision.score !== undefined && { score: decision.score }),
            ...(decision.reason && { reason: decision.reason }),
            customerType: this.customerType(serviceId),
            ...(decision.outcome === 'not-known' && { text: redacted(context.activity.text) }),
        });
    }

    async feedback(context: TurnContext, feedback: FeedbackGiven): Promise<void> {
        await this.record(context, {
            kind: 'feedback',
            serviceId: feedback.serviceId,
            helpful: feedback.helpful,
            customerType: this.customerType(feedback.serviceId),
            ...(!feedback.helpful && feedback.question && { text: redacted(feedback.question) }),
        });
    }

    async caseCreated(context: TurnContext, created: Case): Promise<void> {
        await this.record(context, {
            kind: 'case',
            ...(created.serviceId && { serviceId: created.serviceId }),
            ...(created.flags.safetyRule && { reason: `safety:${created.flags.safetyRule}` }),
            customerType: this.customerType(created.serviceId),
        });
    }

    /** An agent claimed a case: how long it waited (time to an agent). */
    async caseClaimed(claimed: Case): Promise<void> {
        const waited = claimed.claimedAt ? Date.parse(claimed.claimedAt) - Date.parse(claimed.createdAt) : undefined;
        await this.keep({
            ...this.caseEvent(claimed),
            kind: 'caseClaimed',
            ...(waited !== undefined && { waitedMinutes: Math.max(0, Math.round(waited / 6000) / 10) }),
        });
    }

    /** An agent closed a case (outside any resident turn). */
    async caseClosed(closed: Case): Promise<void> {
        await this.keep({
            ...this.caseEvent(closed),
            kind: 'caseClosed',
            ...(closed.outcome && { caseOutcome: closed.outcome }),
        });
    }

    /** What every event about a case outside a resident's turn has, under the conversation's pseudonym. */
    private caseEvent(c: Case): Omit<InsightEvent, 'kind'> {
        const address = c.conversation as { channelId?: string; conversation?: { id?: string } };
        return {
            at: this.now().toISOString(),
            conversation: this.pseudonym(address.channelId ?? c.channel, address.conversation?.id ?? c.reference),
            channel: c.channel,
            ...(c.site && { site: c.site }),
            language: c.language,
            ...(c.serviceId && { serviceId: c.serviceId }),
            customerType: this.customerType(c.serviceId),
        };
    }

    private customerType(serviceId: string | undefined): CustomerType {
        const service = serviceId ? this.options.knowledge.current().service(serviceId) : undefined;
        return service?.customerType ?? 'resident';
    }

    private async record(
        context: TurnContext,
        event: Omit<InsightEvent, 'at' | 'conversation' | 'channel' | 'language' | 'site'>,
    ): Promise<void> {
        const { activity } = context;
        // The channel and site as the server established them: an activity can claim any.
        const { channel, site } = turnOrigin(context);
        await this.keep({
            at: this.now().toISOString(),
            conversation: this.pseudonym(activity.channelId, activity.conversation?.id ?? ''),
            channel,
            ...(site && { site }),
            language: (activity.locale ?? 'en').slice(0, 10),
            ...event,
        });
    }

    private async keep(event: InsightEvent): Promise<void> {
        try {
            await this.options.store.record(event);
        } catch (error) {
            this.options.log.error('insight.record_failed', { kind: event.kind, error });
        }
    }
}

/** The resident's words with personal data replaced, and no longer than an event keeps. */
function redacted(text: string | undefined): string {
    return redactPersonalData((text ?? '').trim()).slice(0, textLimit);
}
