import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** A conversation started through the built-in Direct Line, as Web Chat starts one. */
export interface StartedConversation {
    readonly id: string;
    readonly token: string;
    readonly streamUrl: string;
}

async function json<T>(response: Response, what: string, expected: number): Promise<T> {
    if (response.status !== expected) {
        throw new Error(`${what} answered ${response.status} (expected ${expected}): ${await response.text()}`);
    }
    return (await response.json()) as T;
}

/** Gets a token from the chat page's token route, then starts the conversation with it. */
export async function startConversation(base: string): Promise<StartedConversation> {
    // The headers a browser sends from the service's own chat page.
    const issued = await json<{ token: string }>(
        await fetch(`${base}/api/directline/token`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } }),
        'POST /api/directline/token',
        200,
    );
    const started = await json<{ conversationId: string; token: string; streamUrl: string }>(
        await fetch(`${base}/v3/directline/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${issued.token}` },
        }),
        'POST /v3/directline/conversations',
        201,
    );
    return { id: started.conversationId, token: started.token, streamUrl: started.streamUrl };
}

/** Posts a resident's message; resolves with the activity id Direct Line gave it. */
export async function postMessage(base: string, conversation: StartedConversation, text: string): Promise<string> {
    const posted = await json<{ id: string }>(
        await fetch(`${base}/v3/directline/conversations/${encodeURIComponent(conversation.id)}/activities`, {
            method: 'POST',
            headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'message',
                text,
                channelData: { clientActivityID: randomBytes(6).toString('hex') },
            }),
        }),
        'POST activities',
        200,
    );
    return posted.id;
}

/** A conversation's WebSocket stream, telling when the bot's first reply to an activity arrived. */
export class ReplyStream {
    private readonly arrived = new Map<string, bigint>();
    private readonly waiting = new Map<string, (at: bigint) => void>();

    private constructor(private readonly socket: WebSocket) {
        socket.on('message', (data: WebSocket.RawData) => {
            const at = process.hrtime.bigint();
            let set: { activities?: { type?: string; replyToId?: string; from?: { role?: string } }[] };
            try {
                set = JSON.parse(data.toString()) as typeof set;
            } catch {
                return; // An empty keep-alive message.
            }
            for (const activity of set.activities ?? []) {
                const replyTo = activity.replyToId;
                if (activity.type !== 'message' || activity.from?.role === 'user' || !replyTo) continue;
                if (this.arrived.has(replyTo)) continue;
                this.arrived.set(replyTo, at);
                this.waiting.get(replyTo)?.(at);
            }
        });
    }

    /** Opens the stream and resolves once it is connected. */
    static async open(conversation: StartedConversation): Promise<ReplyStream> {
        const socket = new WebSocket(conversation.streamUrl);
        await new Promise<void>((resolve, reject) => {
            socket.once('open', () => resolve());
            socket.once('error', reject);
        });
        return new ReplyStream(socket);
    }

    /** When the first reply to `activityId` arrived (hrtime), waiting up to `timeoutMs` for it. */
    async replyTo(activityId: string, timeoutMs: number): Promise<bigint> {
        const already = this.arrived.get(activityId);
        if (already !== undefined) return already;
        return new Promise<bigint>((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`no reply to ${activityId} within ${timeoutMs} ms`)),
                timeoutMs,
            );
            this.waiting.set(activityId, (at) => {
                clearTimeout(timer);
                this.waiting.delete(activityId);
                resolve(at);
            });
        });
    }

    close(): void {
        this.socket.terminate();
    }
}

/** Runs `task` for each of `count` items with at most `concurrency` at once; resolves with the results in order. */
export async function inParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>) {
    const results: T[] = new Array<T>(count);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < count; i = next++) results[i] = await task(i);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return results;
}
