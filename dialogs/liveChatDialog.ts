import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Case } from '../bot/handoff/case';
import { saysExactly } from '../knowledge/normaliser';
import { engineFor, repliesFor, understand, type AssistantDependencies } from './dialogContext';
import type { Replies } from './replies';

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

    override async beginDialog(dc: DialogContext, options?: LiveChatState): Promise<DialogTurnResult> {
        const reference = options?.reference ?? '';
        (dc.activeDialog as { state: LiveChatState }).state = { reference };
        const c = await this.deps.cases.get(reference);
        if (!c || c.chat !== 'waiting') return dc.endDialog({ kind: 'over' } satisfies LiveChatResult);
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
        const c = await this.deps.cases.get(reference);
        if (!c || (c.chat !== 'waiting' && c.chat !== 'connected')) {
            return dc.endDialog({ kind: 'over' } satisfies LiveChatResult);
        }
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
                        method: followUpMethod(replies, ended),
                        reference,
                    }),
                );
            }
            return dc.endDialog({ kind: 'left' } satisfies LiveChatResult);
        }
        const entry = { at: this.deps.now().toISOString(), from: 'resident' as const, text };
        const position = await this.deps.cases.appendTranscript(reference, entry);
        this.deps.caseEvents.publish({ type: 'line', reference, entry, position });
        // The resident has had the emergency signposting; the case now goes to the top of the queue.
        const safety = understand(this.deps, dc.context).safety;
        if (safety) {
            const urgent = await this.deps.cases.markUrgent(reference, safety.id);
            if (urgent) this.deps.caseEvents.publish({ type: 'changed', case: urgent });
        }
        return Dialog.EndOfTurn;
    }
}

/** "phone" or "email", in the resident's language: how the team follows up a chat that ends unresolved. */
export function followUpMethod(replies: Replies, c: Case): string {
    const { contactLabels } = replies.knowledge.conversation;
    return replies.say(c.details.email && !c.details.phone ? contactLabels.email : contactLabels.phone).toLowerCase();
}
