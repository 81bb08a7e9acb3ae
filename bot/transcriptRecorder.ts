import { type Activity, ActivityTypes, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { ConversationFacts } from '../dialogs/conversationFacts';
import { unescapeMarkdown } from '../dialogs/replies';
import type { TranscriptEntry } from './handoff/case';

/** How many lines of a conversation are kept for a case summary. */
export const transcriptLimit = 60;

/**
 * Keeps the recent conversation (the resident's messages and the assistant's replies) in conversation state, so a
 * case can carry the full exchange and the resident never repeats themselves.
 */
export class TranscriptRecorder {
    constructor(
        private readonly facts: StatePropertyAccessor<ConversationFacts>,
        private readonly now: () => Date = () => new Date(),
        /** A resident's message longer than this is kept cut, as the assistant answered it (too long). */
        private readonly maxLength = Number.POSITIVE_INFINITY,
    ) {}

    /** Records this turn's incoming message (a resident's text). */
    async recordIncoming(context: TurnContext): Promise<void> {
        if (context.activity.type !== ActivityTypes.Message) return;
        const text = context.activity.text ?? '';
        await this.record(
            context,
            'resident',
            text.length > this.maxLength ? `${text.slice(0, this.maxLength)}…` : text,
        );
    }

    /** Records the assistant's messages among `activities`, sent in reply this turn. */
    async recordReplies(context: TurnContext, activities: readonly Partial<Activity>[]): Promise<void> {
        for (const activity of activities) {
            if (activity.type !== ActivityTypes.Message || !activity.text) continue;
            // Staff read the transcript as text: a resident's name, escaped for Web Chat's markdown, reads as typed.
            const text = activity.textFormat === 'plain' ? activity.text : unescapeMarkdown(activity.text);
            await this.record(context, 'assistant', text);
        }
    }

    private async record(context: TurnContext, from: TranscriptEntry['from'], text: string | undefined) {
        if (!text) return;
        const facts = await this.facts.get(context, {});
        facts.transcript = [...(facts.transcript ?? []), { at: this.now().toISOString(), from, text }].slice(
            -transcriptLimit,
        );
    }
}
