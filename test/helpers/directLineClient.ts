import WebSocket from 'ws';
// The official client runs in browsers: in Node its HTTP calls need an XMLHttpRequest, set before it loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest ??= require('xhr2');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const directLineJs = require('botframework-directlinejs') as typeof import('botframework-directlinejs');

export type { Activity as DirectLineActivity } from 'botframework-directlinejs';

/** What the official client received and how to talk through it. */
export interface DirectLineSession {
    readonly client: import('botframework-directlinejs').DirectLine;
    readonly received: import('botframework-directlinejs').Activity[];
    /** Waits for an activity from the bot whose text contains `fragment`. */
    waitForBot(fragment: string, timeoutMs?: number): Promise<import('botframework-directlinejs').Message>;
    /** Sends a message as the resident; resolves with the activity id. */
    say(text: string): Promise<string>;
    end(): void;
}

/**
 * The official `botframework-directlinejs` client (the one inside Web Chat) connected to a Direct Line endpoint,
 * over its WebSocket stream (or polling when `webSocket` is false).
 */
export function connectDirectLine(options: {
    token: string;
    domain: string;
    conversationId?: string;
    watermark?: string;
    webSocket?: boolean;
}): DirectLineSession {
    // The client streams only where a global WebSocket exists, as in browsers (it creates its sockets with the
    // class given below): Node 20 has none, so one is lent while it is made, or it would poll instead.
    const global = globalThis as { WebSocket?: unknown };
    const lent = global.WebSocket === undefined;
    if (lent) global.WebSocket = WebSocket;
    let client: import('botframework-directlinejs').DirectLine;
    try {
        client = new directLineJs.DirectLine({
            token: options.token,
            domain: options.domain,
            webSocket: options.webSocket ?? true,
            pollingInterval: 200,
            ...(options.conversationId && { conversationId: options.conversationId }),
            ...(options.watermark && { watermark: options.watermark }),
            // Its services option takes the WebSocket class to use.
            WebSocket,
        } as unknown as ConstructorParameters<typeof directLineJs.DirectLine>[0]);
    } finally {
        if (lent) delete global.WebSocket;
    }
    const received: import('botframework-directlinejs').Activity[] = [];
    const subscription = client.activity$.subscribe((activity) => received.push(activity));
    return {
        client,
        received,
        async waitForBot(fragment, timeoutMs = 10_000) {
            const deadline = Date.now() + timeoutMs;
            for (;;) {
                const found = received.find(
                    (a): a is import('botframework-directlinejs').Message =>
                        a.from.role === 'bot' && a.type === 'message' && (a.text ?? '').includes(fragment),
                );
                if (found) return found;
                if (Date.now() > deadline) {
                    const texts = received.map(
                        (a) => `${a.from.role ?? a.from.id}: ${a.type} ${'text' in a ? a.text : ''}`,
                    );
                    throw new Error(`no bot message containing "${fragment}"; got:\n${texts.join('\n')}`);
                }
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
        },
        say(text) {
            return new Promise((resolve, reject) => {
                client
                    .postActivity({ type: 'message', from: { id: 'ignored-by-the-server', role: 'user' }, text })
                    .subscribe({ next: resolve, error: reject });
            });
        },
        end() {
            subscription.unsubscribe();
            client.end();
        },
    };
}

/** A new chat on the service at `serviceUrl`, as its own page starts one: a token, then the official client. */
export async function openChat(serviceUrl: string): Promise<DirectLineSession> {
    const issued = await fetch(`${serviceUrl}/api/directline/token`, { method: 'POST' });
    const { token, domain } = (await issued.json()) as { token: string; domain: string };
    return connectDirectLine({ token, domain });
}
