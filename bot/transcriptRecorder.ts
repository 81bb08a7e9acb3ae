import { ActivityTypes, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
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
    ) {}

    /** Records this turn's incoming message and every message sent in reply. */
    async attach(context: TurnContext): Promise<void> {
        const facts = await this.facts.get(context, {});
        const record = (from: TranscriptEntry['from'], text: string | undefined) => {
            if (!text) return;
            facts.transcript = [...(facts.transcript ?? []), { at: this.now().toISOString(), from, text }].slice(
                -transcriptLimit,
            );
        };
        if (context.activity.type === ActivityTypes.Message) record('resident', context.activity.text);
        context.onSendActivities(async (_context, activities, next) => {
            for (const activity of activities) {
                if (activity.type !== ActivityTypes.Message || !activity.text) continue;
                // Staff read the transcript as text: a resident's name, escaped for Web Chat's markdown, reads as typed.
                record('assistant', activity.textFormat === 'plain' ? activity.text : unescapeMarkdown(activity.text));
            }
            return next();
        });
    }
}
