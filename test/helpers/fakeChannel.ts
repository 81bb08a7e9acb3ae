import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An activity the bot sent to the channel. */
export interface SentActivity {
    readonly type: string;
    readonly name?: string;
    readonly text?: string;
    readonly textFormat?: string;
    readonly value?: unknown;
    readonly attachments?: { contentType: string; content: unknown }[];
    readonly conversation?: { id: string };
    readonly suggestedActions?: { actions: { title?: string }[] };
}

/**
 * A Bot Framework channel on a free local port, standing in for Web Chat's Direct Line: residents' messages name
 * it as their `serviceUrl`, and it keeps every activity the bot sends (replies and proactive messages) by
 * conversation. Any resident message and any agent message that reaches the resident therefore shows up here.
 */
export async function startFakeChannel() {
    const sent: SentActivity[] = [];
    const waiters = new Set<() => void>();
    // Conversations whose activities are accepted and never answered (a black-holed channel), and those requests.
    const blackHoled = new Set<string>();
    const hung: http.IncomingMessage[] = [];
    let nextId = 1;
    // writeHead is never chained: restify, loaded by the app under test, replaces it with one that returns nothing.
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
            if (req.method !== 'POST' || !match) {
                res.statusCode = 404;
                res.end();
                return;
            }
            if (blackHoled.has(decodeURIComponent(match[1] ?? ''))) {
                hung.push(req);
                return;
            }
            const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SentActivity;
            sent.push({ ...activity, conversation: { id: decodeURIComponent(match[1] ?? '') } });
            for (const wake of [...waiters]) wake();
            res.statusCode = 200;
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify({ id: `sent-${nextId++}` }));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    /** The message texts the bot sent to one conversation so far. */
    const texts = (conversationId: string) =>
        sent.filter((a) => a.conversation?.id === conversationId && a.type === 'message').map((a) => a.text ?? '');

    return {
        url,
        sent,
        texts,
        /** From now on, accepts this conversation's activities and never answers. */
        blackHole: (conversationId: string) => blackHoled.add(conversationId),
        /** The requests left hanging, and whether the bot has since given up on each (closed its socket). */
        hung: () => hung.map((req) => ({ abandoned: req.socket.destroyed })),
        /** Waits until the bot has sent a message containing `fragment` to the conversation; returns its text. */
        async waitForText(conversationId: string, fragment: string, timeoutMs = 10_000): Promise<string> {
            const found = () => texts(conversationId).find((t) => t.includes(fragment));
            const deadline = Date.now() + timeoutMs;
            while (!found()) {
                const left = deadline - Date.now();
                if (left <= 0) {
                    throw new Error(
                        `no message containing "${fragment}"; got:\n${texts(conversationId).join('\n---\n')}`,
                    );
                }
                await new Promise<void>((resolve) => {
                    const wake = () => (waiters.delete(wake), clearTimeout(timer), resolve());
                    const timer = setTimeout(wake, left);
                    waiters.add(wake);
                });
            }
            return found() ?? '';
        },
        /** Sends a resident's message to the bot at `botUrl`, as this channel would; resolves once the turn ends. */
        async say(botUrl: string, conversationId: string, text: string): Promise<void> {
            const response = await fetch(`${botUrl}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                    type: 'message',
                    id: `in-${nextId++}`,
                    channelId: 'webchat',
                    serviceUrl: url,
                    conversation: { id: conversationId },
                    from: { id: `resident-${conversationId}`, role: 'user' },
                    recipient: { id: 'bot', role: 'bot' },
                    text,
                }),
            });
            if (response.status >= 300) throw new Error(`/api/messages answered ${response.status}`);
        },
        close: () =>
            new Promise<void>((resolve) => {
                for (const req of hung) req.socket.destroy();
                server.close(() => resolve());
            }),
    };
}

/**
 * What a resident types to ask for a person and carry on in the chat, with an email address as the fallback, each
 * with what the bot's answer contains when a step waits for it (the last gives the case reference).
 */
export const waitInChatSteps = (name = 'Alex Resident'): readonly (readonly [string, string | undefined])[] => [
    ['can i speak to someone', undefined],
    [name, 'How would you like'],
    ['Carry on in this chat', 'If no adviser can join within'],
    ['Email', undefined],
    ['alex@example.com', undefined],
    ['Yes, share them', 'In this chat (if no one can join, alex@example.com)'],
    ['Yes, send it', 'Your reference is'],
];

/**
 * A resident on `channel` asks the bot at `botUrl` for a person and chooses to carry on in the chat, with an email
 * address as the fallback (live chat must be open at the app's clock); returns the case reference.
 */
export async function residentWaitsInChat(
    channel: Awaited<ReturnType<typeof startFakeChannel>>,
    botUrl: string,
    conversation: string,
    name = 'Alex Resident',
): Promise<string> {
    let last = '';
    for (const [text, expected] of waitInChatSteps(name)) {
        await channel.say(botUrl, conversation, text);
        if (expected) last = await channel.waitForText(conversation, expected);
    }
    const reference = /ATB-[0-9A-Z]{5}/.exec(last)?.[0];
    if (!reference) throw new Error(`no case reference in: ${last}`);
    return reference;
}
