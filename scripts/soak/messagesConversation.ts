import { performance } from 'node:perf_hooks';
import { postJson } from './http';
import type { BotReply } from './resident';
import { readReply, type SoakConversation, type Turn } from './soakConversation';
import { SoakFailure } from './tally';

interface ExpectedReplies {
    activities?: { type?: string; text?: string; suggestedActions?: { actions?: { value?: unknown }[] } }[];
}

/**
 * A conversation through POST /api/messages with `deliveryMode: expectReplies`, as a channel in front of the bot
 * would post it: the replies come back in the response, so the unreachable serviceUrl is never called.
 */
export class MessagesConversation implements SoakConversation {
    private sent = 0;
    private readonly user: string;

    constructor(
        private readonly baseUrl: string,
        private readonly id: string,
    ) {
        this.user = `${id}-user`;
    }

    async open(): Promise<BotReply[]> {
        // A channel says who joined before the resident writes; the bot welcomes them.
        const replies = await this.post({
            type: 'conversationUpdate',
            membersAdded: [{ id: this.user }],
        });
        if (replies.length === 0) throw new SoakFailure('protocol', 'no welcome for a new conversation');
        return replies;
    }

    async say(text: string): Promise<Turn> {
        const started = performance.now();
        const replies = await this.post({ type: 'message', text, textFormat: 'plain', locale: 'en-GB' });
        const latencyMs = performance.now() - started;
        if (replies.length === 0) throw new SoakFailure('protocol', 'the bot sent no reply to a message');
        return { replies, latencyMs };
    }

    close(): void {
        // Nothing is held open: the conversation simply stops.
    }

    private async post(activity: Record<string, unknown>): Promise<BotReply[]> {
        this.sent += 1;
        const body = await postJson<ExpectedReplies>(`${this.baseUrl}/api/messages`, {
            ...activity,
            id: `${this.id}-${this.sent}`,
            channelId: 'test',
            // expectReplies needs no reachable URL; this one (a closed port on this machine) is never called.
            serviceUrl: 'http://127.0.0.1:1',
            deliveryMode: 'expectReplies',
            conversation: { id: this.id },
            from: { id: this.user, role: 'user' },
            recipient: { id: 'assistant', role: 'bot' },
            timestamp: new Date().toISOString(),
        });
        return (body.activities ?? []).filter((a) => a.type === 'message').map(readReply);
    }
}
