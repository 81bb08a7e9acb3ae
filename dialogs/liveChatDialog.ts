import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Case, TranscriptEntry } from '../bot/handoff/case';
import { localise } from '../knowledge/localise';
import { saysExactly } from '../knowledge/normaliser';
import { engineFor, repliesFor, understand, type AssistantDependencies } from './dialogContext';

interface LiveChatState {
    readonly reference: string;
}

/** How a live chat ended for the resident's next message: `over` when an agent or a time-out ended it. */
export type LiveChatResult = { readonly kind: 'left' } | { readonly kind: 'over' };

/**
 * The resident's side of a live chat with an adviser: says where they are in the queue, then passes every
 * message to the case (and the agent's open page) until the resident leaves or the chat is over. The agent's
 * side, and what the resident is told when an agent joins, closes or nobody comes, is in bot/liveChat.
 */
export class LiveChatDialog extends Dialog<LiveChatState> {
    static readonly id = 'liveChat';

    constructor(private readonly deps: AssistantDependencies) {
        super(LiveChatDialog.id);
    }

    /**
     * True when the active live chat dialog's chat is still waiting or connected in the case store (an agent may
     * have closed it, or it timed out, since the resident's last message). Read once per turn.
     */
    static async isOpen(deps: AssistantDependencies, dc: DialogContext): Promise<boolean> {
        const state = dc.activeDialog?.state as LiveChatState | undefined;
        const c = state && (await openCase(deps, dc.context, state.reference));
        return c !== undefined;
    }

    override async beginDialog(dc: DialogContext, options?: LiveChatState): Promise<DialogTurnResult> {
        const reference = options?.reference ?? '';
        (dc.activeDialog as { state: LiveChatState }).state = { reference };
        const c = await this.deps.cases.get(reference);
        if (!c || (c.chat !== 'waiting' && c.chat !== 'connected')) {
            return dc.endDialog({ kind: 'over' } satisfies LiveChatResult);
        }
        // An agent quick enough to claim it already has: they have said they joined.
        if (c.chat === 'connected') return Dialog.EndOfTurn;
        const replies = await repliesFor(this.deps, dc.context);
        const { liveChat } = engineFor(this.deps, dc.context).knowledge.conversation;
        const queue = await this.deps.cases.queue(c.team);
        const position = queue.findIndex((q) => q.reference === reference) + 1;
        if (position > 0) {
            await dc.context.sendActivity(
                replies.withActions(replies.say(liveChat.queued, { position, team: replies.teamName(c.team) }), [
                    replies.say(liveChat.endAction),
                ]),
            );
        }
        return Dialog.EndOfTurn;
    }

    override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const { reference } = dc.activeDialog?.state as LiveChatState;
        const c = await openCase(this.deps, dc.context, reference);
        if (!c) return dc.endDialog({ kind: 'over' } satisfies LiveChatResult);
        const replies = await repliesFor(this.deps, dc.context);
        const { liveChat } = engineFor(this.deps, dc.context).knowledge.conversation;
        const text = (dc.context.activity.text ?? '').trim();
        const facts = await this.deps.facts.get(dc.context, {});
        // The chat's lines live in the case only, not also in conversation state.
        delete facts.transcript;
        if (saysExactly(text, [replies.say(liveChat.endAction), ...liveChat.endPhrases])) {
            const ended = await this.deps.cases.endChat(reference);
            if (ended) {
                this.deps.caseEvents.publish({ type: 'changed', case: ended });
                await dc.context.sendActivity(
                    replies.plain(liveChat.left, {
                        team: replies.teamName(ended.team),
                        method: replies.followUpMethod(ended.details),
                        reference,
                    }),
                );
            }
            return dc.endDialog({ kind: 'left' } satisfies LiveChatResult);
        }
        const limit = this.deps.maxMessageLength;
        await this.relay(reference, 'resident', text.length > limit ? `${text.slice(0, limit)}…` : text);
        if (text.length > limit) await dc.context.sendActivity(replies.plain(liveChat.tooLong, { limit }));
        const safety = understand(this.deps, dc.context).safety;
        if (safety) {
            // The resident has had the signposting: the adviser sees it too, and the case goes to the top of the queue.
            await this.relay(reference, 'assistant', localise(safety.message, facts.language).trim());
            const urgent = await this.deps.cases.markUrgent(reference, safety.id);
            if (urgent) this.deps.caseEvents.publish({ type: 'changed', case: urgent });
        }
        return Dialog.EndOfTurn;
    }

    private async relay(reference: string, from: TranscriptEntry['from'], text: string): Promise<void> {
        const entry: TranscriptEntry = { at: this.deps.now().toISOString(), from, text };
        const position = await this.deps.cases.appendTranscript(reference, entry);
        this.deps.caseEvents.publish({ type: 'line', reference, entry, position });
    }
}

const openCaseKey = Symbol('liveChatCase');

/** The case of a live chat still waiting or connected, read from the store once per turn. */
async function openCase(deps: AssistantDependencies, context: TurnContext, reference: string) {
    let read = context.turnState.get(openCaseKey) as Promise<Case | undefined> | undefined;
    if (!read) {
        read = deps.cases.get(reference);
        context.turnState.set(openCaseKey, read);
    }
    const c = await read;
    return c && (c.chat === 'waiting' || c.chat === 'connected') ? c : undefined;
}
