import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { repliesFor, type AssistantDependencies } from '../../dialogs/dialogContext';
import { turnOrigin } from '../turnOrigin';

/** The agent id a case is claimed (and closed) by when an omnichannel platform takes the handoff. */
export const omnichannelAgent = 'omnichannel';

const handoffStatusSchema = z.object({
    state: z.enum(['accepted', 'failed', 'completed']),
    message: z.string().optional(),
});

/**
 * Handles the `handoff.status` event an omnichannel platform sends after the bot's handoff event, only on the
 * channels in HANDOFF_EVENT_CHANNELS and only for a case whose handoff event was sent (anything else, such as a
 * Web Chat client posting the event itself, is ignored and logged). `accepted` takes the case off the console's
 * queue (the platform's agents have it), `completed` closes it, `failed` tells the resident the team will follow
 * up by phone or email. Returns false for any other event.
 */
export async function handleHandoffStatus(deps: AssistantDependencies, context: TurnContext): Promise<boolean> {
    if (context.activity.name !== 'handoff.status') return false;
    // The channel as the server established it; and the event must come from the channel itself, vouched for by
    // Bot Framework authentication (never from a resident's own client posting it).
    const { channel: channelId, vouched } = turnOrigin(context);
    const status = handoffStatusSchema.safeParse(context.activity.value);
    const facts = await deps.facts.get(context, {});
    const reference = facts.lastCaseReference;
    if (
        !status.success ||
        !reference ||
        !facts.handoffEventSent ||
        !vouched ||
        !deps.handoffEventChannels.has(channelId)
    ) {
        deps.log.warn('handoff.status_ignored', { channel: channelId, hasCase: Boolean(reference) });
        return true;
    }
    const { state } = status.data;
    deps.log.info('handoff.status', { reference, state, channel: channelId });
    if (state === 'accepted') {
        const claimed = await deps.cases.claim(reference, omnichannelAgent);
        if (claimed) deps.caseEvents.publish({ type: 'changed', case: claimed });
    } else if (state === 'completed') {
        await deps.cases.claim(reference, omnichannelAgent);
        const closed = await deps.cases.closeCase(reference, omnichannelAgent, 'resolved');
        if (closed) deps.caseEvents.publish({ type: 'changed', case: closed });
        delete facts.handoffEventSent;
    } else {
        // The case stays in the console's queue, for the team to follow up.
        delete facts.handoffEventSent;
        const c = await deps.cases.get(reference);
        if (c) {
            const replies = await repliesFor(deps, context);
            await context.sendActivity(
                replies.plain(replies.knowledge.conversation.liveChat.handoffFailed, {
                    team: replies.teamName(c.team),
                    method: replies.followUpMethod(c.details),
                    reference,
                }),
            );
        }
    }
    return true;
}
