import { MessageFactory, TurnContext } from 'botbuilder';
import {
    ChoiceFactory,
    ChoicePrompt,
    ComponentDialog,
    TextPrompt,
    WaterfallDialog,
    ListStyle,
    type FoundChoice,
    type PromptValidatorContext,
    type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { normaliseEmail, normaliseUkPhone } from '../bot/handoff/contactDetails';
import type { Case, CaseDetails, CasePriority, ContactMethod, NewCase } from '../bot/handoff/case';
import { deliveryTransportsFor } from '../bot/handoff/deliveryTargets';
import { handoffInitiation } from '../bot/handoff/handoffEvent';
import { localise } from '../knowledge/localise';
import { openingStatus } from '../knowledge/openingHours';
import { engineFor, repliesFor, type AssistantDependencies } from './dialogContext';
import { escapeMarkdown } from './replies';
import { turnOrigin } from '../bot/turnOrigin';

/** The case this turn made, kept on the turn (not the state) so that running the turn again reuses it. */
const caseMadeThisTurn = Symbol('caseMadeThisTurn');

/** What the conversation already knows when a handoff starts; the dialog asks only for what is missing. */
export interface CaseContext {
    readonly reason: string;
    readonly serviceId?: string;
    readonly team: string;
    readonly priority: CasePriority;
    readonly safetyRule?: string;
    readonly residentWords: string;
}

/** Details captured so far (carried through the steps, and kept when the resident changes one). */
interface Draft {
    name?: string;
    contactMethod?: ContactMethod;
    /** For a live chat: how to follow up when no adviser can join. */
    fallback?: FollowUp;
    phone?: string;
    email?: string;
    address?: string;
    consent?: boolean;
}

/** What one pass through the steps remembers: the contact methods it offered, in order. */
interface StepValues {
    methods?: ContactMethod[];
}

interface CaseOptions {
    readonly context: CaseContext;
    readonly draft?: Draft;
}

/** The ways of following up a case outside the chat. */
type FollowUp = Exclude<ContactMethod, 'chat'>;

/** How case capture ended; `chat` when the resident carries on in this chat with an adviser. */
export type CaseResult =
    | { readonly kind: 'created'; readonly reference: string; readonly chat: boolean }
    | { readonly kind: 'declined' }
    | { readonly kind: 'failed' }
    /** The resident has made as many cases as one connection may in an hour. */
    | { readonly kind: 'limited' };

const ids = {
    steps: 'case.steps',
    text: 'case.text',
    phone: 'case.phone',
    email: 'case.email',
    choice: 'case.choice',
} as const;

/**
 * Captures a case for a person: name, how to contact them (validated), an address when the service needs one
 * and consent to share; shows the summary back, lets the resident change any part, then stores the case and
 * gives its reference. The case is stored durably before the reference is shown.
 */
export class CaseDialog extends ComponentDialog {
    static readonly id = 'case';

    constructor(private readonly deps: AssistantDependencies) {
        super(CaseDialog.id);
        this.addDialog(new TextPrompt(ids.text, async (p) => (p.recognized.value ?? '').trim().length > 0));
        this.addDialog(
            new TextPrompt(ids.phone, async (p) => normaliseUkPhone(p.recognized.value ?? '') !== undefined),
        );
        this.addDialog(new TextPrompt(ids.email, async (p) => normaliseEmail(p.recognized.value ?? '') !== undefined));
        this.addDialog(
            new ChoicePrompt(ids.choice, async (p: PromptValidatorContext<FoundChoice>) => p.recognized.succeeded),
        );
        this.addDialog(
            new WaterfallDialog(ids.steps, [
                (step) => this.askName(step),
                (step) => this.askContactMethod(step),
                (step) => this.askFallback(step),
                (step) => this.askContactDetail(step),
                (step) => this.askAddress(step),
                (step) => this.askConsent(step),
                (step) => this.showSummary(step),
                (step) => this.confirmOrChange(step),
                (step) => this.change(step),
            ]),
        );
        this.initialDialogId = ids.steps;
    }

    private text(context: TurnContext) {
        return engineFor(this.deps, context).knowledge.conversation.case;
    }

    private options(step: WaterfallStepContext): CaseOptions & { draft: Draft } {
        const options = step.options as CaseOptions & { draft?: Draft };
        options.draft ??= {};
        return options as CaseOptions & { draft: Draft };
    }

    private async askName(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        if (!draft.name) {
            const team = replies.teamName(context.team);
            await step.context.sendActivity(replies.plain(text.intro, { team }));
            return step.prompt(ids.text, {
                prompt: replies.plain(text.askName),
                retryPrompt: replies.plain(text.askName),
            });
        }
        return step.next(draft.name);
    }

    /**
     * The contact methods offered now: the chat itself only while live chat is open, and not where an omnichannel
     * platform takes the conversation (its own agents chat there).
     */
    private methods(context: TurnContext): ContactMethod[] {
        const { council } = engineFor(this.deps, context).knowledge;
        const chatOpen =
            council.liveChat !== undefined &&
            !this.handsOffByEvent(context) &&
            this.canSendLater(context) &&
            openingStatus(council, this.deps.now(), council.liveChat.openingHours).open;
        return chatOpen ? ['chat', 'phone', 'email'] : ['phone', 'email'];
    }

    private async askContactMethod(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        draft.name = String(step.result).trim().slice(0, 100);
        if (draft.contactMethod) return step.next();
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        const team = replies.teamName(context.team);
        const methods = this.methods(step.context);
        (step.values as StepValues).methods = methods;
        return step.prompt(ids.choice, {
            prompt: replies.plain(text.askContactMethod, { team }),
            retryPrompt: replies.plain(text.askContactMethod, { team }),
            choices: ChoiceFactory.toChoices(methods.map((m) => replies.say(text.methods[m]))),
            style: ListStyle.suggestedAction,
        });
    }

    private async askFallback(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        if (!draft.contactMethod) {
            const { methods = [] } = step.values as StepValues;
            draft.contactMethod = methods[(step.result as FoundChoice).index] ?? 'phone';
        }
        if (draft.contactMethod !== 'chat' || draft.fallback) return step.next();
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        const team = replies.teamName(context.team);
        const minutes = engineFor(this.deps, step.context).knowledge.council.liveChat?.unclaimedMinutes ?? 0;
        return step.prompt(ids.choice, {
            prompt: replies.plain(text.askFallback, { team, minutes }),
            retryPrompt: replies.plain(text.askFallback, { team, minutes }),
            choices: ChoiceFactory.toChoices([replies.say(text.methods.phone), replies.say(text.methods.email)]),
            style: ListStyle.suggestedAction,
        });
    }

    private async askContactDetail(step: WaterfallStepContext) {
        const { draft } = this.options(step);
        if (draft.contactMethod === 'chat' && !draft.fallback) {
            draft.fallback = (step.result as FoundChoice).index === 0 ? 'phone' : 'email';
        }
        const method = followUp(draft);
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        if (method === 'phone' && !draft.phone) {
            return step.prompt(ids.phone, {
                prompt: replies.plain(text.askPhone),
                retryPrompt: replies.plain(text.invalidPhone),
            });
        }
        if (method === 'email' && !draft.email) {
            return step.prompt(ids.email, {
                prompt: replies.plain(text.askEmail),
                retryPrompt: replies.plain(text.invalidEmail),
            });
        }
        return step.next();
    }

    private async askAddress(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        if (typeof step.result === 'string') {
            if (followUp(draft) === 'phone') draft.phone = normaliseUkPhone(step.result);
            else draft.email = normaliseEmail(step.result);
        }
        const service = context.serviceId ? engineFor(this.deps, step.context).service(context.serviceId) : undefined;
        if (service?.handoff?.needsAddress && !draft.address) {
            const replies = await repliesFor(this.deps, step.context);
            const text = this.text(step.context);
            return step.prompt(ids.text, {
                prompt: replies.plain(text.askAddress),
                retryPrompt: replies.plain(text.askAddress),
            });
        }
        return step.next();
    }

    private async askConsent(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        if (typeof step.result === 'string') draft.address = step.result.trim().slice(0, 300);
        if (draft.consent) return step.next();
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        const team = replies.teamName(context.team);
        return step.prompt(ids.choice, {
            prompt: replies.plain(text.askConsent, { team }),
            retryPrompt: replies.plain(text.askConsent, { team }),
            choices: ChoiceFactory.toChoices([replies.say(text.consentYes), replies.say(text.consentNo)]),
            style: ListStyle.suggestedAction,
        });
    }

    private async showSummary(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        if (!draft.consent) {
            if ((step.result as FoundChoice | undefined)?.index !== 0) {
                const service = context.serviceId
                    ? engineFor(this.deps, step.context).service(context.serviceId)
                    : undefined;
                await step.context.sendActivity(replies.plain(text.noConsent));
                await step.context.sendActivity(replies.personContact(service, this.deps.now()));
                return step.endDialog({ kind: 'declined' } satisfies CaseResult);
            }
            draft.consent = true;
        }
        const labels = text.labels;
        const service = context.serviceId ? engineFor(this.deps, step.context).service(context.serviceId) : undefined;
        // What the resident typed is shown as text: markdown in it must not become a link or formatting.
        const contactLine = (d: Draft) => {
            const detail = escapeMarkdown((followUp(d) === 'phone' ? d.phone : d.email) ?? '');
            return d.contactMethod === 'chat' ? replies.say(text.chatContact, { detail }) : detail;
        };
        const lines = [
            service && `- ${replies.say(labels.about)}: ${replies.title(service)}`,
            `- ${replies.say(labels.name)}: ${escapeMarkdown(draft.name ?? '')}`,
            `- ${replies.say(labels.contact)}: ${contactLine(draft)}`,
            draft.address && `- ${replies.say(labels.address)}: ${escapeMarkdown(draft.address)}`,
        ].filter(Boolean);
        await step.context.sendActivity(MessageFactory.text(`${replies.say(text.summary)}\n\n${lines.join('\n')}`));
        return step.prompt(ids.choice, {
            prompt: replies.plain(text.confirmQuestion),
            retryPrompt: replies.plain(text.confirmQuestion),
            choices: ChoiceFactory.toChoices([replies.say(text.confirm), replies.say(text.change)]),
            style: ListStyle.suggestedAction,
        });
    }

    private async confirmOrChange(step: WaterfallStepContext) {
        const { draft } = this.options(step);
        if ((step.result as FoundChoice).index === 0) return this.store(step);
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        const fields = [replies.say(text.labels.name), replies.say(text.labels.contact)];
        if (draft.address) fields.push(replies.say(text.labels.address));
        return step.prompt(ids.choice, {
            prompt: replies.plain(text.whichChange),
            retryPrompt: replies.plain(text.whichChange),
            choices: ChoiceFactory.toChoices(fields),
            style: ListStyle.suggestedAction,
        });
    }

    private async change(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        const field = (step.result as FoundChoice).index;
        const changed: Draft = { ...draft };
        if (field === 0) delete changed.name;
        if (field === 1) {
            delete changed.contactMethod;
            delete changed.fallback;
            delete changed.phone;
            delete changed.email;
        }
        if (field === 2) delete changed.address;
        return step.replaceDialog(ids.steps, { context, draft: changed } satisfies CaseOptions);
    }

    private async store(step: WaterfallStepContext) {
        const { context, draft } = this.options(step);
        const engine = engineFor(this.deps, step.context);
        const replies = await repliesFor(this.deps, step.context);
        const text = this.text(step.context);
        const facts = await this.deps.facts.get(step.context, {});
        const service = context.serviceId ? engine.service(context.serviceId) : undefined;
        const team = replies.teamName(context.team);
        const madeThisTurn = step.context.turnState.get(caseMadeThisTurn) as Case | undefined;
        // One resident (connection) cannot flood the queues; an urgent case hard on the heels of another from the
        // same connection is shown to agents as possibly automated instead of going first.
        const admission = madeThisTurn
            ? { ok: true as const }
            : (this.deps.caseGuard?.admit(turnOrigin(step.context).client, context.priority === 'urgent') ?? {
                  ok: true as const,
              });
        if (!admission.ok) {
            this.deps.log.warn('case.limited', { team: context.team, retryAfterSeconds: admission.retryAfterSeconds });
            await step.context.sendActivity(replies.plain(text.tooMany, { team }));
            await step.context.sendActivity(replies.personContact(service, this.deps.now()));
            return step.endDialog({ kind: 'limited' } satisfies CaseResult);
        }
        const automated = admission.automated;
        const details: CaseDetails = {
            name: draft.name ?? '',
            contactMethod: draft.contactMethod ?? 'phone',
            ...(draft.phone && { phone: draft.phone }),
            ...(draft.email && { email: draft.email }),
            ...(draft.address && { address: draft.address }),
            consent: true,
        };
        const newCase: NewCase = {
            channel: turnOrigin(step.context).channel,
            ...(facts.site && { site: facts.site }),
            conversation: replyAddress(step.context, this.keptServiceUrl(step.context)),
            ...(service && { serviceId: service.id, serviceTitle: replies.title(service) }),
            team: context.team,
            priority: automated ? 'normal' : context.priority,
            residentWords: context.residentWords,
            ...(service && { assistantAnswer: localise(service.answer, facts.language) }),
            details,
            flags: {
                vulnerable: context.priority === 'urgent',
                ...(context.safetyRule && { safetyRule: context.safetyRule }),
                ...(automated && { automated }),
            },
            language: facts.language ?? 'en',
            transcript: facts.transcript ?? [],
        };
        let stored;
        try {
            // The team's deliveries (council.yaml) are enqueued in the same transaction as the case.
            const deliveries = deliveryTransportsFor(engine.knowledge.council, context.team);
            // A turn run again after losing a race on its state reuses the case its first run made; turns racing
            // from the same state version share one case through the store's idempotency key.
            const version = this.deps.stateVersion?.(step.context);
            stored =
                madeThisTurn ??
                (await this.deps.cases.create(
                    newCase,
                    engine.knowledge.council.caseReferencePrefix,
                    deliveries,
                    version && `${step.context.activity.conversation.id}@${version}`,
                ));
            step.context.turnState.set(caseMadeThisTurn, stored);
        } catch (error) {
            this.deps.log.error('case.store_failed', { error, team: context.team, serviceId: context.serviceId });
            await step.context.sendActivity(replies.plain(text.storeFailed, { team }));
            await step.context.sendActivity(replies.personContact(service, this.deps.now()));
            return step.endDialog({ kind: 'failed' } satisfies CaseResult);
        }
        // Stored: from here on nothing may tell the resident otherwise. Agents' open queue pages show it at once.
        this.deps.caseEvents.publish({ type: 'changed', case: stored });
        await Promise.resolve(this.deps.observer.caseCreated?.(step.context, stored)).catch((error: unknown) =>
            this.deps.log.error('case.observer_failed', { reference: stored.reference, error }),
        );
        // The transcript now lives in the case only.
        delete facts.transcript;
        facts.lastCaseReference = stored.reference;
        delete facts.handoffEventSent;
        await step.context.sendActivity(replies.plain(text.received, { reference: stored.reference, team }));
        if (this.handsOffByEvent(step.context)) {
            // An omnichannel platform in front of the bot can now route the conversation to its own agents.
            await step.context
                .sendActivity(handoffInitiation(step.context, stored))
                .then(() => (facts.handoffEventSent = true))
                .catch((error: unknown) =>
                    this.deps.log.error('handoff.event_failed', { reference: stored.reference, error }),
                );
        }
        const chat = stored.chat === 'waiting';
        return step.endDialog({ kind: 'created', reference: stored.reference, chat } satisfies CaseResult);
    }

    /** What the case keeps to reach this conversation later; undefined when the server may not send there. */
    private keptServiceUrl(context: TurnContext): string | undefined {
        const { serviceUrl } = context.activity;
        return this.deps.keptServiceUrl ? this.deps.keptServiceUrl(serviceUrl) : serviceUrl;
    }

    /** True when an agent's messages could reach this conversation later (its serviceUrl is allowed). */
    private canSendLater(context: TurnContext): boolean {
        return this.keptServiceUrl(context) !== undefined;
    }

    /** True where an omnichannel platform in front of the bot takes cases by the Bot Framework handoff event. */
    private handsOffByEvent(context: TurnContext): boolean {
        return this.deps.handoffEventChannels.has(turnOrigin(context).channel);
    }
}

/** How the team follows the case up outside the chat: the chosen method, or a live chat's fallback. */
function followUp(draft: Draft): FollowUp | undefined {
    return draft.contactMethod === 'chat' ? draft.fallback : draft.contactMethod;
}

/**
 * What an agent's message needs to reach this conversation later (continueConversationAsync), and nothing more:
 * no display names, which some channels put in the user and conversation accounts.
 */
function replyAddress(context: TurnContext, serviceUrl: string | undefined): Readonly<Record<string, unknown>> {
    const reference = TurnContext.getConversationReference(context.activity);
    return {
        channelId: reference.channelId,
        // A URL the server may not send to is not kept: nothing will ever be sent to it.
        ...(serviceUrl !== undefined && { serviceUrl }),
        conversation: {
            id: reference.conversation?.id,
            ...(reference.conversation?.tenantId && { tenantId: reference.conversation.tenantId }),
            ...(reference.conversation?.conversationType && {
                conversationType: reference.conversation.conversationType,
            }),
        },
        bot: { id: reference.bot?.id },
        user: { id: reference.user?.id },
    };
}
