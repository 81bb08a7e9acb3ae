import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { MessageFactory } from 'botbuilder';
import { Replies } from '../../dialogs/replies';
import type { KnowledgeSource } from '../../dialogs/dialogContext';
import { openingStatus } from '../../knowledge/openingHours';
import { maskSecrets } from '../../knowledge/personalData';
import type { Case, TranscriptEntry } from '../handoff/case';
import type { Logger } from '../logger';
import type { CaseStore } from '../stores/caseStore';
import type { CaseEvents } from './caseEvents';

/** Sends a message into a resident's conversation outside their own turn. */
export type ProactiveSender = (
    reference: Partial<ConversationReference>,
    send: (context: TurnContext) => Promise<void>,
) => Promise<void>;

/**
 * A sender through the Bot Framework adapter (`continueConversationAsync`, with the bot's app id or none). A send
 * that fails rejects: the adapter would otherwise hand the error to its turn error handler (which apologises into
 * the same unreachable conversation) and resolve, and the agent would be told the resident saw the message.
 */
export function adapterSender(
    adapter: CloudAdapter,
    appId: string,
    /** Where a reference's replies go from this instance (see `registerDirectLine`'s `reroute`). */
    reroute: (serviceUrl: string) => string = (serviceUrl) => serviceUrl,
): ProactiveSender {
    return async (reference, send) => {
        let failure: { error: unknown } | undefined;
        await adapter.continueConversationAsync(
            appId,
            { ...reference, ...(reference.serviceUrl && { serviceUrl: reroute(reference.serviceUrl) }) },
            async (context) => {
                // A proactive line answers nothing the resident sent. Without this it would carry the id of the
                // adapter's own continuation event as its replyToId, and Web Chat holds a line back (about 5 s) while
                // it waits for the activity it replies to, which never comes.
                context.onSendActivities(async (_context, activities, next) => {
                    for (const activity of activities) delete activity.replyToId;
                    return next();
                });
                try {
                    await send(context);
                } catch (error) {
                    failure = { error };
                }
            },
        );
        if (failure) throw failure.error;
    };
}

/** What live chat needs from the rest of the service. */
export interface LiveChatDependencies {
    readonly cases: CaseStore;
    readonly events: CaseEvents;
    readonly knowledge: KnowledgeSource;
    readonly send: ProactiveSender;
    readonly log: Logger;
    readonly now?: () => Date;
}

/** The first word of a display name: residents are told "Sam has joined", not an agent's full name. */
export function firstName(name: string): string {
    return name.trim().split(/\s+/)[0] ?? name;
}

/**
 * The agent's side of live chat: an agent's messages reach the resident through the bot, and the resident is
 * told when an agent joins, when the chat ends, and when nobody could join in time (the fallback contact then
 * applies). Every line is added to the case's transcript and published to agents' open pages.
 */
export class LiveChat {
    private readonly now: () => Date;

    constructor(private readonly deps: LiveChatDependencies) {
        this.now = deps.now ?? (() => new Date());
    }

    /** An agent claimed the case; a waiting chat is now connected. */
    async joined(c: Case, agentName: string): Promise<void> {
        this.deps.events.publish({ type: 'changed', case: c });
        if (c.chat !== 'connected') return;
        await this.tell(
            c,
            (replies) =>
                replies.say(replies.knowledge.conversation.liveChat.joined, {
                    agent: firstName(agentName),
                    team: replies.teamName(c.team),
                }),
            { endAction: true },
        );
    }

    /**
     * Sends an agent's message to the resident, as plain text headed with the agent's first name and team, and
     * records what they typed.
     */
    async agentSays(c: Case, typed: string, agentName: string): Promise<TranscriptEntry> {
        // An agent reading a card number back is masked like a resident typing one.
        const text = maskSecrets(typed).text;
        const entry: TranscriptEntry = { at: this.now().toISOString(), from: 'agent', text };
        const replies = new Replies(this.deps.knowledge.current(), c.language);
        const line = replies.say(replies.knowledge.conversation.liveChat.agentLine, {
            agent: firstName(agentName),
            team: replies.teamName(c.team),
            text,
        });
        await this.deliver(c, MessageFactory.text(line));
        // Delivered: a failure to record it must not make the agent send it twice.
        await this.record(c, entry).catch((error: unknown) =>
            this.deps.log.error('live_chat.record_failed', { reference: c.reference, error }),
        );
        return entry;
    }

    /** The agent closed the case: a resident still in the chat is told it ended. */
    async closed(before: Case, closed: Case, agentName: string): Promise<void> {
        this.deps.events.publish({ type: 'changed', case: closed });
        if (before.chat !== 'connected') return;
        await this.tell(closed, (replies) =>
            replies.say(replies.knowledge.conversation.liveChat.ended, {
                agent: firstName(agentName),
                reference: closed.reference,
            }),
        );
    }

    /**
     * Times out chats nobody claimed within the council's `unclaimedMinutes`, and every waiting chat once live chat
     * has closed, telling each resident the team will use their phone or email. The notices go out side by side and
     * each is bounded by the channel time-out, so one channel that never answers delays nobody else's. Resolves with
     * how many timed out once the chats are marked; `notified` settles when every notice has been tried.
     */
    async timeOutWaiting(): Promise<number> {
        const { expired, notified } = await this.expireWaiting();
        await notified;
        return expired;
    }

    private async expireWaiting(): Promise<{ expired: number; notified: Promise<unknown> }> {
        const { council } = this.deps.knowledge.current().knowledge;
        const now = this.now();
        // Knowledge without liveChat (taken out while residents waited) counts as closed.
        const { liveChat } = council;
        const open = liveChat !== undefined && openingStatus(council, now, liveChat.openingHours).open;
        const cutoff = open ? new Date(now.getTime() - liveChat.unclaimedMinutes * 60_000) : now;
        const expired = await this.deps.cases.expireWaitingChats(cutoff);
        const notices = expired.map((c) => {
            this.deps.events.publish({ type: 'changed', case: c });
            this.deps.log.info('live_chat.timed_out', { reference: c.reference, team: c.team });
            return this.tell(c, (replies) =>
                replies.say(replies.knowledge.conversation.liveChat.timedOut, {
                    team: replies.teamName(c.team),
                    method: replies.followUpMethod(c.details),
                    reference: c.reference,
                }),
            ).catch((error: unknown) =>
                this.deps.log.warn('live_chat.notify_failed', { reference: c.reference, error }),
            );
        });
        return { expired: expired.length, notified: Promise.all(notices) };
    }

    /**
     * Checks for chats to time out every `intervalMs` until stopped. A sweep waits for the database only, never for
     * the notices of the sweep before it.
     */
    start(intervalMs: number): { stop(): void } {
        let running = false;
        const timer = setInterval(() => {
            if (running) return;
            running = true;
            this.expireWaiting()
                .catch((error: unknown) => this.deps.log.error('live_chat.sweep_failed', { error }))
                .finally(() => (running = false));
        }, intervalMs);
        timer.unref();
        return { stop: () => clearInterval(timer) };
    }

    /**
     * Tells the resident something from the knowledge, in their language (with the "End chat" button when
     * `endAction`), and records it in the transcript.
     */
    private async tell(c: Case, text: (replies: Replies) => string, options: { endAction?: boolean } = {}) {
        const replies = new Replies(this.deps.knowledge.current(), c.language);
        const message = text(replies);
        const { endAction } = replies.knowledge.conversation.liveChat;
        await this.deliver(
            c,
            options.endAction ? replies.withActions(message, [replies.say(endAction)]) : MessageFactory.text(message),
        );
        await this.record(c, { at: this.now().toISOString(), from: 'assistant', text: message });
    }

    private async record(c: Case, entry: TranscriptEntry): Promise<void> {
        const position = await this.deps.cases.appendTranscript(c.reference, entry);
        this.deps.events.publish({ type: 'line', reference: c.reference, entry, position });
    }

    private async deliver(c: Case, activity: Partial<Activity>): Promise<void> {
        // What an agent types is shown as typed: no markdown links or formatting.
        activity.textFormat = 'plain';
        await this.deps.send(c.conversation as Partial<ConversationReference>, async (context) => {
            await context.sendActivity(activity);
        });
    }
}
