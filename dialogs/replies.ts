import { ActionTypes, ActivityTypes, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { CaseDetails } from '../bot/handoff/case';
import type { KnowledgeEngine } from '../knowledge/engine';
import type { KnowledgeService } from '../knowledge/loader';
import { fill, localise } from '../knowledge/localise';
import { openingStatus } from '../knowledge/openingHours';
import type { LocalisedText, SafetyRuleDefinition } from '../knowledge/schema';

/** Escapes markdown and HTML so text a resident typed is displayed as typed, never as a link or markup. */
export function escapeMarkdown(text: string): string {
    return text.replace(/[\\`*_[\]()<>~|]/g, (c) => `\\${c}`);
}

/** Undoes escapeMarkdown, for places that show text as text anyway (a case's transcript). */
export function unescapeMarkdown(text: string): string {
    return text.replace(/\\([\\`*_[\]()<>~|])/g, '$1');
}

/**
 * Builds the assistant's messages from the knowledge. Every word a resident reads comes from the YAML; this
 * class only arranges it.
 */
export class Replies {
    constructor(
        private readonly engine: KnowledgeEngine,
        private readonly language = 'en',
    ) {}

    get knowledge() {
        return this.engine.knowledge;
    }

    /** A text from the knowledge in the resident's language, with `{council}`, `{phone}` and `values` filled in. */
    say(text: LocalisedText, values: Readonly<Record<string, string | number>> = {}): string {
        const { council } = this.knowledge;
        return fill(localise(text, this.language), { council: council.name, phone: council.phone, ...values });
    }

    /** A team's name from council.yaml (the council's name for a team it does not know). */
    teamName(teamId: string): string {
        const { council } = this.knowledge;
        return council.teams.find((t) => t.id === teamId)?.name ?? council.name;
    }

    /** "phone" or "email", in the resident's language: how a team follows up a case outside the chat. */
    followUpMethod(details: CaseDetails): string {
        const { contactLabels } = this.knowledge.conversation;
        return this.say(details.email && !details.phone ? contactLabels.email : contactLabels.phone).toLowerCase();
    }

    title(service: KnowledgeService): string {
        return localise(service.title, this.language);
    }

    /** The first message: the council's top tasks as buttons, or on a partner site its welcome and services. */
    welcome(siteId?: string): Partial<Activity> {
        const site = this.site(siteId);
        return this.withTasks(this.say(site ? site.welcome : this.knowledge.conversation.welcome), siteId);
    }

    /** The answer to a greeting: what the assistant can do, with the same buttons as the welcome. */
    greeting(siteId?: string): Partial<Activity> {
        return this.withTasks(this.say(this.knowledge.conversation.greeting), siteId);
    }

    private site(siteId: string | undefined) {
        return siteId === undefined ? undefined : this.knowledge.sites.find((s) => s.id === siteId);
    }

    /** `text` with the council's top tasks (or the partner site's services) as buttons. */
    private withTasks(text: string, siteId: string | undefined): Partial<Activity> {
        const site = this.site(siteId);
        const ids = site ? site.featuredServices : this.knowledge.council.topTasks;
        const tasks = ids.map((id) => this.engine.service(id)).filter((s) => s !== undefined);
        return this.withActions(
            text,
            tasks.map((s) => this.title(s)),
        );
    }

    help(): Partial<Activity> {
        return MessageFactory.text(this.say(this.knowledge.conversation.help));
    }

    plain(text: LocalisedText, values: Readonly<Record<string, string | number>> = {}): Partial<Activity> {
        return MessageFactory.text(this.say(text, values));
    }

    /** The answer: who provides it, the answer, links and how to contact the team. */
    answer(service: KnowledgeService): Partial<Activity> {
        const { conversation } = this.knowledge;
        const parts: string[] = [`**${this.title(service)}**`];
        if (service.provider) parts.push(this.say(conversation.providerIntro, { provider: service.provider.name }));
        parts.push(localise(service.answer, this.language).trim());
        if (service.links.length > 0) {
            parts.push(service.links.map((l) => `- [${localise(l.title, this.language)}](${l.url})`).join('\n'));
        }
        if (service.contact) {
            const team = localise(service.contact.name, this.language);
            parts.push(`${this.say(conversation.contactIntro, { team })}\n${this.contactLines(service.contact)}`);
        }
        const activity = MessageFactory.text(parts.join('\n\n'));
        activity.textFormat = 'markdown';
        return activity;
    }

    /** "Did this answer your question?" with Yes / No and the related services as next steps. */
    feedbackQuestion(service: KnowledgeService): Partial<Activity> {
        const { feedback, relatedIntro } = this.knowledge.conversation;
        const related = service.related.map((id) => this.engine.service(id)).filter((s) => s !== undefined);
        const text =
            related.length > 0
                ? `${this.say(feedback.question)}\n\n${this.say(relatedIntro)}`
                : this.say(feedback.question);
        return this.withActions(text, [
            this.say(feedback.yes),
            this.say(feedback.no),
            ...related.map((s) => this.title(s)),
        ]);
    }

    /** "Did you mean …" with one button per service and "Something else". */
    clarify(options: readonly KnowledgeService[]): Partial<Activity> {
        const { clarify, somethingElse } = this.knowledge.conversation;
        const lines = options.map((s, i) => `${i + 1}. ${this.title(s)}`).join('\n');
        return this.withActions(`${this.say(clarify)}\n\n${lines}`, [
            ...options.map((s) => this.title(s)),
            this.say(somethingElse),
        ]);
    }

    /** "Did you mean" with one service only: "Do you mean: <title>?" with Yes / No. */
    clarifyOne(service: KnowledgeService): Partial<Activity> {
        const { clarifyOne } = this.knowledge.conversation;
        return this.withActions(this.say(clarifyOne.question, { service: this.title(service) }), [
            this.say(clarifyOne.yes),
            this.say(clarifyOne.no),
        ]);
    }

    /** After a long message it did not understand: the closest services, one button each, and "None of these". */
    notKnownChoices(options: readonly KnowledgeService[]): Partial<Activity> {
        const { notKnownChoices } = this.knowledge.conversation;
        const lines = options.map((s, i) => `${i + 1}. ${this.title(s)}`).join('\n');
        return this.withActions(`${this.say(notKnownChoices.question)}\n\n${lines}`, [
            ...options.map((s) => this.title(s)),
            this.say(notKnownChoices.none),
        ]);
    }

    /** A text with a "Talk to a person" button. */
    withPersonAction(text: LocalisedText, values: Readonly<Record<string, string | number>> = {}): Partial<Activity> {
        return this.withActions(this.say(text, values), [this.say(this.knowledge.conversation.person.action)]);
    }

    /** How to reach a person: the service's team if known, else the council; open now or when it opens. */
    personContact(service: KnowledgeService | undefined, at: Date = new Date()): Partial<Activity> {
        const { council, conversation } = this.knowledge;
        const contact = service?.contact ?? {
            name: council.name,
            phone: council.phone,
            email: council.email,
            url: council.website,
        };
        const team = localise(contact.name, this.language);
        const parts = [`${this.say(conversation.person.intro, { team })}\n${this.contactLines(contact)}`];
        const status = openingStatus(council, at);
        if (status.open) {
            parts.push(this.say(conversation.person.openNow, { closes: status.closes }));
        } else {
            if (status.opens) {
                const { inDays, weekday, time } = status.opens;
                const names = conversation.dayNames;
                const day = inDays === 0 ? names.today : inDays === 1 ? names.tomorrow : names[weekday];
                parts.push(this.say(conversation.person.closedNow, { day: this.say(day), time }));
            }
            parts.push(`${this.say(conversation.person.emergencyIntro)}\n${this.emergencyLines()}`);
        }
        const activity = MessageFactory.text(parts.join('\n\n'));
        activity.textFormat = 'markdown';
        return activity;
    }

    /** The scripted signposting for a safety rule, exactly as written, then an offer of a person. */
    /** The rule's emergency signposting, then (unless a person is already in the chat) the offer of a person. */
    safety(rule: SafetyRuleDefinition, options: { inLiveChat?: boolean } = {}): Partial<Activity>[] {
        const signposting = MessageFactory.text(localise(rule.message, this.language).trim());
        signposting.textFormat = 'markdown';
        if (options.inLiveChat) return [signposting];
        return [signposting, this.withPersonAction(this.knowledge.conversation.safety.offerPerson)];
    }

    private contactLines(contact: {
        phone?: string | undefined;
        email?: string | undefined;
        url?: string | undefined;
        hours?: LocalisedText | undefined;
    }): string {
        const labels = this.knowledge.conversation.contactLabels;
        return [
            contact.phone && `- ${this.say(labels.phone)}: ${contact.phone}`,
            contact.email && `- ${this.say(labels.email)}: ${contact.email}`,
            contact.url && `- ${this.say(labels.website)}: ${contact.url}`,
            contact.hours && `- ${localise(contact.hours, this.language)}`,
        ]
            .filter(Boolean)
            .join('\n');
    }

    private emergencyLines(): string {
        return this.knowledge.council.emergencyNumbers
            .map((e) => `- ${localise(e.title, this.language)}: ${e.phone} (${localise(e.when, this.language)})`)
            .join('\n');
    }

    /** A message with buttons that send their titles. */
    withActions(text: string, titles: readonly string[]): Partial<Activity> {
        const actions: CardAction[] = titles.map((title) => ({ type: ActionTypes.ImBack, title, value: title }));
        return { type: ActivityTypes.Message, text, textFormat: 'markdown', suggestedActions: { actions, to: [] } };
    }
}
