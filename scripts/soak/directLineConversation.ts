import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { assertLoopback, postJson, replyTimeoutMs } from './http';
import type { BotReply } from './resident';
import { readReply, type SoakConversation, type Turn } from './soakConversation';
import { SoakFailure } from './tally';

interface StreamActivity {
    type?: string;
    from?: { id?: string; role?: string };
    replyToId?: string;
    text?: string;
    suggestedActions?: { actions?: { value?: unknown }[] };
}

/** The replies to one message, and when the first arrived. */
interface Answer {
    readonly replies: BotReply[];
    firstAt?: number;
}

/**
 * A conversation through the built-in Direct Line, as Web Chat holds one: a token from the chat page's route,
 * the conversation started with it, the WebSocket stream opened, each message posted and its reply read from the
 * stream (matched by `replyToId`) before the next.
 */
export class DirectLineConversation implements SoakConversation {
    private socket: WebSocket | undefined;
    private token = '';
    private domain = '';
    private conversationId = '';
    private closing = false;
    private broken: SoakFailure | undefined;
    /** Bot messages by the id of the message they answer. */
    private readonly answers = new Map<string, Answer>();
    private welcome: BotReply[] = [];
    private heard: (() => void) | undefined;

    constructor(private readonly baseUrl: string) {}

    async open(): Promise<BotReply[]> {
        const issued = await postJson<{ token: string; domain: string }>(`${this.baseUrl}/api/directline/token`, {});
        this.domain = issued.domain;
        const started = await postJson<{ conversationId: string; token: string; streamUrl: string }>(
            `${this.domain}/conversations`,
            undefined,
            issued.token,
        );
        this.token = started.token;
        this.conversationId = started.conversationId;
        assertLoopback(started.streamUrl.replace(/^ws/, 'http'));
        const socket = new WebSocket(started.streamUrl);
        this.socket = socket;
        socket.on('open', () => this.wake());
        socket.on('message', (data) => this.receive(String(data)));
        socket.on('error', (error) => this.break(new SoakFailure('socket', `stream: ${error.message}`)));
        socket.on('close', (code) => {
            if (!this.closing) this.break(new SoakFailure('socket', `stream closed by the service (${code})`));
        });
        await this.until(() => socket.readyState === WebSocket.OPEN, 'the stream to open');
        // The stream starts at watermark 0, so it carries the welcome sent while the conversation started.
        await this.until(() => this.welcome.length > 0, 'the welcome');
        return this.welcome;
    }

    async say(text: string): Promise<Turn> {
        const started = performance.now();
        // Replies to earlier messages that arrive late are of no more interest.
        this.answers.clear();
        const { id } = await postJson<{ id: string }>(
            `${this.domain}/conversations/${encodeURIComponent(this.conversationId)}/activities`,
            {
                type: 'message',
                from: { id: 'soak-resident', role: 'user' },
                text,
                textFormat: 'plain',
                locale: 'en-GB',
            },
            this.token,
        );
        const answer = this.answerTo(id);
        await this.until(() => answer.firstAt !== undefined, 'a reply on the stream', started);
        return { replies: answer.replies, latencyMs: (answer.firstAt as number) - started };
    }

    close(): void {
        this.closing = true;
        this.socket?.close();
        this.wake();
    }

    private answerTo(id: string): Answer {
        let answer = this.answers.get(id);
        if (!answer) {
            answer = { replies: [] };
            this.answers.set(id, answer);
        }
        return answer;
    }

    private receive(data: string): void {
        let set: { activities?: StreamActivity[] };
        try {
            set = JSON.parse(data) as typeof set;
        } catch {
            return this.break(new SoakFailure('protocol', 'the stream sent something that is not JSON'));
        }
        const now = performance.now();
        for (const activity of set.activities ?? []) {
            if (activity.type !== 'message' || activity.from?.role !== 'bot') continue;
            const reply = readReply(activity);
            // The welcome answers no message of the resident's, so it carries no replyToId.
            if (!activity.replyToId) {
                this.welcome.push(reply);
                continue;
            }
            const answer = this.answerTo(activity.replyToId);
            answer.firstAt ??= now;
            answer.replies.push(reply);
        }
        this.wake();
    }

    private break(failure: SoakFailure): void {
        this.broken ??= failure;
        this.wake();
    }

    private wake(): void {
        const heard = this.heard;
        this.heard = undefined;
        heard?.();
    }

    /** Resolves when `done()` holds; rejects when the stream breaks or nothing comes within the reply time-out. */
    private async until(done: () => boolean, what: string, since = performance.now()): Promise<void> {
        for (;;) {
            if (done()) return;
            if (this.broken) throw this.broken;
            if (this.closing) throw new SoakFailure('socket', `closed while waiting for ${what}`);
            const left = since + replyTimeoutMs - performance.now();
            if (left <= 0) throw new SoakFailure('timeout', `no ${what} within ${replyTimeoutMs} ms`);
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, left);
                this.heard = () => {
                    clearTimeout(timer);
                    resolve();
                };
            });
        }
    }
}
