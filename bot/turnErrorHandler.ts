import type { TurnContext } from 'botbuilder';
import type { Replies } from '../dialogs/replies';
import type { Logger } from './logger';

/**
 * What happens when a turn fails: the error is logged (redacted), the conversation starts afresh (state that
 * broke this turn would break the next), and the resident gets the neutral apology from the knowledge, never a
 * stack trace.
 */
export function createTurnErrorHandler(
    log: Logger,
    bot: { forget(context: TurnContext): Promise<void> },
    replies: () => Replies,
): (context: TurnContext, error: Error) => Promise<void> {
    return async (context, error) => {
        log.error('turn.failed', { error, channel: context.activity.channelId });
        try {
            await bot.forget(context);
        } catch (forgetError) {
            // The apology matters more than the clean slate (the database may be what failed).
            log.error('turn.forget_failed', { error: forgetError });
        }
        try {
            await context.sendActivity(replies().plain(replies().knowledge.conversation.error));
        } catch (sendError) {
            log.error('turn.apology_failed', { error: sendError });
        }
    };
}
