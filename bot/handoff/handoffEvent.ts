import { ActivityTypes, EventFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Case } from './case';
import { webhookPayload, type WebhookPayload } from './webhookTransport';

/** What an omnichannel platform receives as the handoff event's context: the case as a team's webhook gets it. */
export type HandoffContext = Omit<WebhookPayload, 'transcript'>;

/**
 * The Bot Framework handoff initiation event for a stored case: its summary as the handoff context and the
 * conversation as the transcript attachment, so the platform's agent starts with the whole case.
 */
export function handoffInitiation(context: TurnContext, c: Case): Activity {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the transcript travels as the attachment
    const { transcript, ...handoffContext } = webhookPayload(c);
    const activities = c.transcript.map((line): Partial<Activity> => ({
        type: ActivityTypes.Message,
        timestamp: new Date(line.at),
        from: { id: line.from, name: line.from, role: line.from === 'resident' ? 'user' : 'bot' },
        text: line.text,
        textFormat: 'plain',
    }));
    return EventFactory.createHandoffInitiation<HandoffContext>(context, handoffContext, {
        activities: activities as Activity[],
    });
}
