import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { followUpMethod } from '../../dialogs/liveChatDialog';
import { repliesFor, type AssistantDependencies } from '../../dialogs/dialogContext';

/** The agent id a case is claimed by when an omnichannel platform accepts the handoff. */
export const omnichannelAgent = 'omnichannel';

const handoffStatusSchema = z.object({
    state: z.enum(['accepted', 'failed', 'completed']),
    message: z.string().optional(),
});

/**
 * Handles the `handoff.status` event an omnichannel platform sends after the bot's handoff event: `accepted`
 * takes the case out of the console's queue (the platform's agents have it), `failed` tells the resident the
 * team will follow up by phone or email, `completed` is only logged. Returns false for any other event.
 */
export async function handleHandoffStatus(deps: AssistantDependencies, context: TurnContext): Promise<boolean> {
    if (context.activity.name !== 'handoff.status') return false;
    const status = handoffStatusSchema.safeParse(context.activity.value);
    const facts = await deps.facts.get(context, {});
    const reference = facts.lastCaseReference;
    if (!status.success || !reference) {
        deps.log.warn('handoff.status_ignored', { channel: context.activity.channelId, hasCase: Boolean(reference) });
        return true;
    }
    const { state } = status.data;
    deps.log.info('handoff.status', { reference, state, channel: context.activity.channelId });
    if (state === 'accepted') {
        const claimed = await deps.cases.claim(reference, omnichannelAgent);
        if (claimed) deps.caseEvents.publish({ type: 'changed', case: claimed });
    } else if (state === 'failed') {
        const c = await deps.cases.get(reference);
        if (c) {
            const replies = await repliesFor(deps, context);
            await context.sendActivity(
                replies.plain(replies.knowledge.conversation.liveChat.handoffFailed, {
                    team: replies.teamName(c.team),
                    method: followUpMethod(replies, c),
                    reference,
                }),
            );
        }
    }
    return true;
}
