import { ActivityTypes } from 'botbuilder';
import { Dialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { followUp } from '../knowledge/followUp';
import type { KnowledgeService } from '../knowledge/loader';
import type { RouteDecision } from '../knowledge/router';
import { openingStatus } from '../knowledge/openingHours';
import { redactPersonalData } from '../knowledge/personalData';
import { CaseDialog, type CaseContext, type CaseResult } from './caseDialog';
import { ClarifyDialog, type ClarifyResult } from './clarifyDialog';
import { closestChoices } from './closestChoices';
import { engineFor, repliesFor, type AssistantDependencies } from './dialogContext';
import { FeedbackDialog, type FeedbackResult } from './feedbackDialog';
import { InterruptibleDialog } from './interruptibleDialog';
import { LiveChatDialog, type LiveChatResult } from './liveChatDialog';

/**
 * The assistant's conversation. After the interruptions (safety, person, commands) it lets an active child
 * dialog (a clarifying question, the feedback question, case capture) take the message, and otherwise routes it
 * through the knowledge: answer (a short follow-up of the last answer about that service, see followUp.ts), ask
 * which service was meant, or say plainly that it does not know (after a long message, offering the closest
 * services first).
 */
export class RootDialog extends InterruptibleDialog {
    static readonly id = 'root';

    constructor(deps: AssistantDependencies) {
        super(RootDialog.id, deps);
        this.addDialog(new ClarifyDialog(deps));
        this.addDialog(new FeedbackDialog(deps));
        this.addDialog(new CaseDialog(deps));
        this.addDialog(new LiveChatDialog(deps));
    }

    protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
        // Every message counts, interruptions included: a follow-up must come within a few messages of its answer.
        if (innerDc.context.activity.type === ActivityTypes.Message) {
            const facts = await this.deps.facts.get(innerDc.context, {});
            facts.messages = (facts.messages ?? 0) + 1;
        }
        return super.onContinueDialog(innerDc);
    }

    protected override async onTurn(innerDc: DialogContext): Promise<DialogTurnResult> {
        const { context } = innerDc;
        const { activity } = context;
        const replies = await repliesFor(this.deps, context);
        const { conversation } = engineFor(this.deps, context).knowledge;
        const text = (activity.text ?? '').trim();

        if (!text) {
            if ((activity.attachments?.length ?? 0) > 0 || activity.value !== undefined) {
                await context.sendActivity(replies.plain(conversation.attachment));
            } else if (activity.text && !innerDc.activeDialog) {
                // Only spaces (a stray Enter, a pasted blank): say what would help rather than nothing.
                await context.sendActivity(replies.plain(conversation.rephrase));
            }
            return Dialog.EndOfTurn;
        }
        // In a live chat a long message still goes to the adviser (the live chat dialog shortens it).
        if (text.length > this.deps.maxMessageLength && !(await this.isInLiveChat(innerDc))) {
            await context.sendActivity(replies.plain(conversation.tooLong, { limit: this.deps.maxMessageLength }));
            return Dialog.EndOfTurn;
        }

        // "hello" or "thanks" on its own: answered as conversation, not matched against the services. Not while a
        // case is being captured (a greeting is no answer to "what is your name?", but it is not a question either).
        const { smallTalk } = this.understanding(context);
        const activeId = innerDc.activeDialog?.id;
        if (smallTalk && (!activeId || activeId === FeedbackDialog.id || activeId === ClarifyDialog.id)) {
            await innerDc.cancelAllDialogs();
            const facts = await this.deps.facts.get(context, {});
            await context.sendActivity(
                smallTalk === 'greeting' ? replies.greeting(facts.site) : replies.plain(conversation.thanks),
            );
            return Dialog.EndOfTurn;
        }

        if (innerDc.activeDialog) {
            const active = innerDc.activeDialog.id;
            const result = await innerDc.continueDialog();
            if (result.status === DialogTurnStatus.waiting) return Dialog.EndOfTurn;
            if (active === ClarifyDialog.id && (await this.afterClarify(innerDc, result.result as ClarifyResult))) {
                return Dialog.EndOfTurn;
            }
            if (active === FeedbackDialog.id && (await this.afterFeedback(innerDc, result.result as FeedbackResult))) {
                return Dialog.EndOfTurn;
            }
            if (active === CaseDialog.id) {
                const created = result.result as CaseResult | undefined;
                if (created?.kind === 'created' && created.chat) {
                    await innerDc.beginDialog(LiveChatDialog.id, { reference: created.reference });
                }
                // Otherwise a finished case capture has said all there is to say.
                return Dialog.EndOfTurn;
            }
            // A resident who left the chat has been told so; after a chat an agent ended, the message is a new question.
            if (active === LiveChatDialog.id && (result.result as LiveChatResult).kind === 'left') {
                return Dialog.EndOfTurn;
            }
        }
        // A message that fired a safety rule has had its answer (the signposting); it is never routed as a question.
        if (this.understanding(context).safety) return Dialog.EndOfTurn;
        await this.route(innerDc);
        return Dialog.EndOfTurn;
    }

    /**
     * Hands the conversation to a person: out of hours it first says when the team is open and gives the
     * emergency numbers, then it captures a case for the service's team (or the council's default team).
     */
    protected override async offerPerson(innerDc: DialogContext, reason: string, record = true): Promise<void> {
        const { context } = innerDc;
        const engine = engineFor(this.deps, context);
        const { council } = engine.knowledge;
        const facts = await this.deps.facts.get(context, {});
        const service = facts.lastServiceId ? engine.service(facts.lastServiceId) : undefined;
        if (record) {
            await this.deps.observer.decided(context, {
                outcome: 'handoff',
                services: service ? [service.id] : [],
                reason,
            });
        }
        if (!openingStatus(council, this.deps.now()).open) {
            const replies = await repliesFor(this.deps, context);
            await context.sendActivity(replies.personContact(service, this.deps.now()));
        }
        const caseContext: CaseContext = {
            reason,
            ...(service && { serviceId: service.id }),
            team: service?.handoff?.team ?? council.defaultTeam,
            priority: facts.safetyRule ? 'urgent' : 'normal',
            ...(facts.safetyRule && { safetyRule: facts.safetyRule }),
            residentWords: facts.lastQuestion ?? '',
        };
        await innerDc.beginDialog(CaseDialog.id, { context: caseContext });
    }

    protected override isHandingOff(innerDc: DialogContext): boolean {
        return innerDc.activeDialog?.id === CaseDialog.id;
    }

    protected override async isInLiveChat(innerDc: DialogContext): Promise<boolean> {
        return innerDc.activeDialog?.id === LiveChatDialog.id && LiveChatDialog.isOpen(this.deps, innerDc);
    }

    protected override async resetConversation(innerDc: DialogContext): Promise<void> {
        const facts = await this.deps.facts.get(innerDc.context, {});
        delete facts.lastServiceId;
        delete facts.subject;
        delete facts.lastQuestion;
        delete facts.safetyRule;
        facts.notKnownStreak = 0;
    }

    /** Returns true when the clarify result was handled; false to route the message as a new question. */
    private async afterClarify(innerDc: DialogContext, result: ClarifyResult): Promise<boolean> {
        const { context } = innerDc;
        if (result.kind === 'chosen') {
            const service = engineFor(this.deps, context).service(result.serviceId);
            if (service) {
                await this.answer(innerDc, service, { score: 1, reason: 'clarified' });
                return true;
            }
        }
        if (result.kind === 'somethingElse') {
            const replies = await repliesFor(this.deps, context);
            await context.sendActivity(replies.plain(engineFor(this.deps, context).knowledge.conversation.rephrase));
            return true;
        }
        if (result.kind === 'declined') {
            // The question was recorded when it was asked; "no" itself is not a question to record.
            await this.notKnown(innerDc);
            return true;
        }
        return false;
    }

    private async afterFeedback(innerDc: DialogContext, result: FeedbackResult): Promise<boolean> {
        const { context } = innerDc;
        const replies = await repliesFor(this.deps, context);
        const { feedback } = engineFor(this.deps, context).knowledge.conversation;
        if (result.kind !== 'unmatched') {
            const facts = await this.deps.facts.get(context, {});
            await this.deps.observer.feedback?.(context, {
                serviceId: result.serviceId,
                helpful: result.kind === 'helpful',
                ...(facts.lastQuestion && { question: facts.lastQuestion }),
            });
        }
        if (result.kind === 'helpful') {
            await context.sendActivity(replies.plain(feedback.thanks));
            return true;
        }
        if (result.kind === 'unhelpful') {
            await context.sendActivity(replies.withPersonAction(feedback.sorry));
            return true;
        }
        return false;
    }

    private async route(innerDc: DialogContext): Promise<void> {
        const { context } = innerDc;
        const engine = engineFor(this.deps, context);
        const facts = await this.deps.facts.get(context, {});
        facts.lastQuestion = (context.activity.text ?? '').trim();
        const understood = this.understanding(context);
        const decision = engine.route(understood.text);
        const candidates = decision.candidates.map((c) => ({ service: c.service.id, score: round(c.score) }));
        const score = decision.candidates[0]?.score;
        const message = { understood, decision, number: facts.messages ?? 0, at: this.deps.now().getTime() };
        const followed = followUp(engine, message, facts.subject);
        const answered = followed?.service ?? (decision.outcome === 'answer' ? decision.service : undefined);
        facts.lastDecision = {
            // Emails, numbers and postcodes are already gone from the analysed words; names may not be.
            words: redactPersonalData(understood.text.sequence.join(' ')),
            outcome: answered ? 'answer' : decision.outcome,
            candidates: candidates.slice(0, 5),
            ...(answered && { serviceId: answered.id, file: answered.file }),
            ...(followed && { followUp: { subject: followed.subject.id, rule: followed.rule } }),
        };

        if (followed) {
            const own = decision.candidates.find((c) => c.service.id === followed.service.id)?.score;
            await this.answer(innerDc, followed.service, { score: own, reason: 'follow-up', candidates });
        } else if (decision.outcome === 'answer') {
            await this.answer(innerDc, decision.service, { score, candidates });
        } else if (decision.outcome === 'clarify') {
            await this.clarify(innerDc, decision, candidates);
        } else {
            const closest = closestChoices(understood.text, decision);
            if (closest.length > 0) {
                await this.offerClosest(innerDc, closest, candidates, score);
            } else {
                await this.notKnown(innerDc, { candidates, score });
            }
        }
    }

    private async answer(
        innerDc: DialogContext,
        service: KnowledgeService,
        detail: { score?: number | undefined; reason?: string; candidates?: { service: string; score: number }[] },
    ): Promise<void> {
        const { context } = innerDc;
        const facts = await this.deps.facts.get(context, {});
        facts.lastServiceId = service.id;
        facts.subject = { serviceId: service.id, at: this.deps.now().getTime(), message: facts.messages ?? 0 };
        facts.notKnownStreak = 0;
        const replies = await repliesFor(this.deps, context);
        await context.sendActivity(replies.answer(service));
        await this.deps.observer.decided(context, {
            outcome: 'answer',
            services: [service.id],
            ...(detail.score !== undefined && { score: round(detail.score) }),
            ...(detail.reason && { reason: detail.reason }),
            ...(detail.candidates && { candidates: detail.candidates }),
        });
        if (service.handoff?.always) {
            await this.offerPerson(innerDc, 'service-needs-person', false);
        } else {
            await innerDc.beginDialog(FeedbackDialog.id, { serviceId: service.id });
        }
    }

    private async clarify(
        innerDc: DialogContext,
        decision: Extract<RouteDecision, { outcome: 'clarify' }>,
        candidates: { service: string; score: number }[],
    ): Promise<void> {
        const options = decision.options.map((s) => s.id);
        await innerDc.beginDialog(ClarifyDialog.id, { options });
        await this.deps.observer.decided(innerDc.context, {
            outcome: 'clarify',
            services: options,
            score: candidates[0]?.score ?? 0,
            candidates,
        });
    }

    /**
     * After a long message it did not understand: "Is it about one of these?" with the closest services and "None
     * of these" (which goes on as not knowing does). Recorded as not known, with the services offered.
     */
    private async offerClosest(
        innerDc: DialogContext,
        closest: readonly KnowledgeService[],
        candidates: { service: string; score: number }[],
        score: number | undefined,
    ): Promise<void> {
        const services = closest.map((s) => s.id);
        await innerDc.beginDialog(ClarifyDialog.id, { options: services, kind: 'closest' });
        await this.deps.observer.decided(innerDc.context, {
            outcome: 'not-known',
            services,
            score: round(score ?? 0),
            reason: 'closest-offered',
            candidates,
        });
    }

    /**
     * Says it does not know, with a "Talk to a person" button; the second time in a row it offers a person
     * straight away. Recorded when `routed` is given (the message was a question the router did not know).
     */
    private async notKnown(
        innerDc: DialogContext,
        routed?: { candidates: { service: string; score: number }[]; score: number | undefined },
    ): Promise<void> {
        const { context } = innerDc;
        const facts = await this.deps.facts.get(context, {});
        facts.notKnownStreak = (facts.notKnownStreak ?? 0) + 1;
        const replies = await repliesFor(this.deps, context);
        const { conversation } = engineFor(this.deps, context).knowledge;
        if (facts.notKnownStreak > 1) {
            await context.sendActivity(replies.plain(conversation.notKnownAgain));
            await this.offerPerson(innerDc, 'not-known-again');
            return;
        }
        await context.sendActivity(replies.withPersonAction(conversation.notKnown));
        if (!routed) return;
        await this.deps.observer.decided(context, {
            outcome: 'not-known',
            services: [],
            score: round(routed.score ?? 0),
            candidates: routed.candidates,
        });
    }
}

function round(score: number): number {
    return Math.round(score * 1000) / 1000;
}
