import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Activity } from 'botbuilder';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { mac, sameText } from '../../signedValue';
import { queryOf } from '../serviceOrigin';
import { maskSecrets } from '../../../knowledge/personalData';
import { maskSecretsDeep } from '../../../dialogs/typedSecrets';
import type { Allowance } from '../../rateLimit/rateLimiter';
import type { ConversationLimits, DirectLineConversation, DirectLineStore } from './directLineStore';
import type { DirectLineGrant, DirectLineTokens } from './directLineTokens';

/** The channel id the bot sees for conversations through the built-in Direct Line. */
export const directLineChannelId = 'directline';

/** What the built-in Direct Line needs. */
export interface DirectLineOptions {
    readonly tokens: DirectLineTokens;
    /** Where conversations are kept: the SQLite file for one instance, PostgreSQL for several. */
    readonly store: DirectLineStore;
    /** Signs the private path the bot replies to (so nobody else can post into a conversation as the bot). */
    readonly secret: string;
    /** How the bot is named to clients. */
    readonly botName: string;
    /** This service's public origin for a request (for the stream URL it hands out). */
    readonly origin: (req: restify.Request) => string;
    /** The longest message text a client may post (longer is cut: the bot answers it with a polite limit). */
    readonly maxTextLength: number;
    /** A pseudonym for the resident's address (never the address itself), passed to the bot with each activity. */
    readonly clientKey: (req: restify.Request) => string;
    /** Takes one activity's worth of the conversation's rate limit (RATE_LIMIT_PER_CONVERSATION). */
    readonly limit: (conversationId: string) => Allowance;
    /** How long the bot may take over one activity before the client is told it could not be reached. */
    readonly turnTimeoutMs: number;
    readonly log: Logger;
}

/**
 * What a case keeps as the serviceUrl of a conversation through the built-in Direct Line: not the connector URL,
 * whose secret path would let anyone reading the database post as the bot; each instance maps it back to its own.
 */
export const storedServiceUrl = 'directline:built-in';

/** The header with which the built-in Direct Line proves to /api/messages that an activity is its own. */
export const forwardHeader = 'x-directline-forward';
/** The header carrying the resident's address pseudonym on the built-in Direct Line's own calls. */
export const clientKeyHeader = 'x-directline-client';

/** What the rest of the service needs of the built-in Direct Line. */
export interface BuiltInDirectLine {
    /** Stops the streams and the sweep. */
    close(): void;
    /** Points a conversation reference's serviceUrl at this instance's connector path (see below). */
    reroute(serviceUrl: string): string;
    /** What a case keeps of a serviceUrl: this Direct Line's own, without its secret path, as `storedServiceUrl`. */
    forStorage(serviceUrl: string): string;
    /** This instance's connector URL: the serviceUrl of every activity the built-in Direct Line forwards. */
    connectorUrl(): string;
    /**
     * The resident's address pseudonym when `req` is one of the built-in Direct Line's own calls to the bot (proved
     * by a secret header); undefined for anything else, whatever it claims.
     */
    forwardedClient(req: restify.Request): string | undefined;
    /** True for the bot's replies arriving at the connector path (signed with the secret). */
    isConnectorCall(req: restify.Request): boolean;
}

const bot = (name: string) => ({ id: 'assistant', name, role: 'bot' });

// What a client may send; only these fields are kept (from, conversation, serviceUrl, channelId… are set here).
const clientActivitySchema = z.object({
    type: z.enum(['message', 'event', 'typing', 'messageReaction']),
    text: z.string().optional(),
    textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
    locale: z.string().max(20).optional(),
    name: z.string().max(200).optional(),
    value: z.unknown().optional(),
    // Files are not read: only their names and types reach the bot (which says it cannot read them).
    attachments: z
        .array(z.object({ contentType: z.string().max(200), name: z.string().max(200).optional() }))
        .max(10)
        .optional(),
    channelData: z.object({ clientActivityID: z.string().max(100).optional() }).optional(),
});

/** The largest `value` (as JSON) a client event may carry. */
const valueLimit = 4096;
/** The most values (objects, arrays, strings, numbers…) a client event's `value` may hold, and how deep. */
const valueNodes = 64;
const valueDepth = 4;

/**
 * True when `value` holds at most `valueNodes` values, `valueDepth` levels deep: a few KB of JSON made of empty
 * objects ("[{},{},…]") otherwise cost megabytes of memory once parsed and kept.
 */
function smallValue(value: unknown): boolean {
    let nodes = 0;
    const visit = (v: unknown, depth: number): boolean => {
        if (++nodes > valueNodes || depth > valueDepth) return false;
        if (v === null || typeof v !== 'object') return true;
        return Object.values(v).every((item) => visit(item, depth + 1));
    };
    return visit(value, 0);
}

/** What a page reload needs, and no more: an hour idle, a day at most, a bounded number of everything. */
export const directLineLimits: ConversationLimits = {
    activities: 200,
    idleMs: 60 * 60 * 1000,
    maxAgeMs: 24 * 60 * 60 * 1000,
    conversations: 20_000,
    streamsPerConversation: 3,
};

/** How often the stream checks that a WebSocket still answers. */
const pingMs = 30_000;

function bearer(req: IncomingMessage | restify.Request): string | undefined {
    const header = req.headers.authorization;
    return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

const watermarkOf = (value: unknown) => {
    const number = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : 0;
    return number;
};

/**
 * A Direct Line 3.0–compatible endpoint in the app, so Web Chat and any Direct Line client work with no Azure
 * subscription: start a conversation with a token, post activities, get them by watermark or over the WebSocket
 * stream, refresh the token. Behind it the bot runs through /api/messages exactly as with Azure: each client
 * activity is POSTed there with this endpoint as its serviceUrl, and the bot's replies come back to that URL.
 * Returns how to stop (closing the streams), and `reroute`, which points a conversation reference at this instance's
 * connector path (a reply sent from another instance than the one that took the resident's message, e.g. an
 * agent's, then reaches the shared store through this one).
 */
export function registerDirectLine(server: restify.Server, options: DirectLineOptions): BuiltInDirectLine {
    const { tokens, log, store: conversations } = options;
    const sweepNow = () => {
        conversations.sweep().catch((error: unknown) => log.warn('directline.sweep_failed', { error }));
    };
    // At start too: what expired while the service was down goes at once, not a minute later.
    sweepNow();
    const sweep = setInterval(sweepNow, 60_000);
    sweep.unref();
    const connectorKey = mac(options.secret, 'direct-line-connector');
    const forwardKey = mac(options.secret, 'direct-line-forward');
    const botAccount = bot(options.botName);

    const selfUrl = () => {
        const { address, port } = server.address() as AddressInfo;
        // Listening on every address: this machine's loopback reaches it; otherwise the address it listens on.
        const everywhere = ['0.0.0.0', '::', ''].includes(address);
        const host = everywhere ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
        return `http://${host}:${port}`;
    };
    const serviceUrl = () => `${selfUrl()}/directline/connector/${connectorKey}`;
    /** Where the client's WebSocket gets the activities after `watermark`. */
    const streamUrl = (
        req: restify.Request,
        conversation: DirectLineConversation,
        token: string,
        watermark: number,
    ) => {
        const base = options.origin(req).replace(/^http/, 'ws');
        const path = `/v3/directline/conversations/${encodeURIComponent(conversation.id)}/stream`;
        return `${base}${path}?watermark=${watermark}&t=${encodeURIComponent(token)}`;
    };
    // Returns nothing, so a handler can `return fail(…)`: restify warns about async handlers that return values.
    const fail = (res: restify.Response, status: number, code: string, message: string): void => {
        res.send(status, { error: { code, message } });
    };
    /** The grant of the request's token, or undefined after answering 401/403. */
    const granted = (req: restify.Request, res: restify.Response, conversationId?: string) => {
        const token = bearer(req);
        const grant = tokens.verify(token);
        if (!token || !grant) {
            fail(res, 403, 'TokenExpired', 'The token is missing, invalid or expired.');
            return undefined;
        }
        // A token opens its own conversation only.
        if (conversationId !== undefined && conversationId !== grant.conversationId) {
            fail(res, 403, 'BadArgument', 'The token is not for this conversation.');
            return undefined;
        }
        return { grant, token };
    };
    const conversationResponse = async (req: restify.Request, grant: DirectLineGrant, watermark: number) => {
        const conversation = await conversations.open(grant);
        const token = tokens.sign(grant);
        return {
            conversation,
            body: {
                conversationId: conversation.id,
                token,
                expires_in: tokens.lifetimeSeconds,
                streamUrl: streamUrl(req, conversation, token, watermark),
            },
        };
    };

    /**
     * Sends an activity to the bot as a channel does, through /api/messages, for the resident at `client` (an
     * address pseudonym); the bot's answer.
     */
    const toBot = async (
        conversation: DirectLineConversation,
        activity: Partial<Activity>,
        client: string,
    ): Promise<Response> => {
        const response = await fetch(`${selfUrl()}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [forwardHeader]: forwardKey, [clientKeyHeader]: client },
            // /api/messages answers a turn it cannot finish in time; this is only a backstop.
            signal: AbortSignal.timeout(options.turnTimeoutMs + 5_000),
            body: JSON.stringify({
                ...activity,
                channelId: directLineChannelId,
                serviceUrl: serviceUrl(),
                conversation: { id: conversation.id },
                recipient: botAccount,
                channelData: {
                    ...(activity.channelData as object),
                    ...(conversation.site && { site: conversation.site }),
                },
            }),
        });
        await response.arrayBuffer();
        return response;
    };
    /** Tells the bot the conversation started, once (whichever instance gets there first). */
    const start = async (conversation: DirectLineConversation, client: string) => {
        if (!(await conversations.markStarted(conversation.id, true))) return;
        const taken = await toBot(
            conversation,
            {
                type: 'conversationUpdate',
                id: `${conversation.id}|start`,
                from: { id: conversation.userId, role: 'user' } as Activity['from'],
                membersAdded: [botAccount, { id: conversation.userId, role: 'user' }] as Activity['membersAdded'],
                timestamp: new Date(),
            },
            client,
        );
        if (!taken.ok) throw new Error(`the bot refused the conversation update (${taken.status})`);
    };

    // Start a conversation (201), or reconnect to the token's conversation when it has started (200).
    server.post('/v3/directline/conversations', async (req: restify.Request, res: restify.Response) => {
        const auth = granted(req, res);
        if (!auth) return;
        // A new conversation's stream starts from the beginning, so it carries the welcome sent while starting.
        try {
            const { conversation, body } = await conversationResponse(req, auth.grant, 0);
            const isNew = !conversation.started;
            try {
                await start(conversation, options.clientKey(req));
            } catch (error) {
                await conversations.markStarted(conversation.id, false);
                throw error;
            }
            res.send(isNew ? 201 : 200, body);
        } catch (error) {
            log.error('directline.start_failed', { error });
            fail(res, 502, 'BotError', 'The assistant could not be reached. Try again.');
        }
    });

    // Reconnect: a new stream URL (and token) for a conversation, from a watermark.
    server.get('/v3/directline/conversations/:conversationId', async (req: restify.Request, res: restify.Response) => {
        const auth = granted(req, res, String(req.params?.conversationId ?? ''));
        if (!auth) return;
        if (!(await conversations.get(auth.grant.conversationId))) {
            return fail(res, 404, 'BadArgument', 'There is no such conversation (it may have expired).');
        }
        const watermark = watermarkOf(queryOf(req).get('watermark'));
        res.send(200, (await conversationResponse(req, auth.grant, watermark)).body);
    });

    server.post('/v3/directline/tokens/refresh', async (req: restify.Request, res: restify.Response) => {
        const auth = granted(req, res);
        if (!auth) return;
        // A conversation that has gone (idle too long, or too old) cannot be resumed: the page starts afresh.
        if (!(await conversations.touch(auth.grant.conversationId))) {
            return fail(res, 404, 'BadArgument', 'There is no such conversation (it may have expired).');
        }
        res.send(200, {
            conversationId: auth.grant.conversationId,
            token: tokens.sign(auth.grant),
            expires_in: tokens.lifetimeSeconds,
        });
    });

    server.get(
        '/v3/directline/conversations/:conversationId/activities',
        async (req: restify.Request, res: restify.Response) => {
            const auth = granted(req, res, String(req.params?.conversationId ?? ''));
            if (!auth) return;
            if (!(await conversations.touch(auth.grant.conversationId))) {
                return fail(res, 404, 'BadArgument', 'There is no such conversation.');
            }
            const since = watermarkOf(queryOf(req).get('watermark'));
            const { activities, watermark } = await conversations.since(auth.grant.conversationId, since);
            res.send(200, { activities, watermark: String(watermark) });
        },
    );

    server.post(
        '/v3/directline/conversations/:conversationId/activities',
        async (req: restify.Request, res: restify.Response) => {
            const auth = granted(req, res, String(req.params?.conversationId ?? ''));
            if (!auth) return;
            const conversation = await conversations.get(auth.grant.conversationId);
            if (!conversation) return fail(res, 404, 'BadArgument', 'Start the conversation first.');
            const parsed = clientActivitySchema.safeParse(req.body);
            if (!parsed.success) {
                const issue = parsed.error.issues[0];
                return fail(res, 400, 'BadArgument', `${issue?.path.join('.') || 'activity'}: ${issue?.message}`);
            }
            const { channelData, value, text, ...sent } = parsed.data;
            if (value !== undefined && (JSON.stringify(value).length > valueLimit || !smallValue(value))) {
                return fail(
                    res,
                    400,
                    'BadArgument',
                    `value: at most ${valueLimit} characters of JSON, ${valueNodes} values, ${valueDepth} levels deep`,
                );
            }
            // Activities from a client count against its conversation's limit before they are kept (typing
            // indicators, which carry nothing, excepted).
            const allowance = sent.type === 'typing' ? { ok: true as const } : options.limit(conversation.id);
            if (!allowance.ok) {
                res.header('retry-after', String(allowance.retryAfterSeconds));
                return fail(res, 429, 'TooManyRequests', 'Too many messages at once: wait a moment and try again.');
            }
            // Card and NI numbers are masked before anything is kept here (and echoed back to the page): in the text,
            // an event's name and value, a file's name.
            const activity: Partial<Activity> = {
                ...sent,
                ...(sent.name !== undefined && { name: maskSecrets(sent.name).text }),
                ...(sent.attachments && {
                    attachments: sent.attachments.map((a) => ({
                        contentType: a.contentType,
                        ...(a.name !== undefined && { name: maskSecrets(a.name).text }),
                    })),
                }),
                ...(value !== undefined && { value: maskSecretsDeep(value) }),
                ...(text !== undefined && { text: maskSecrets(text.slice(0, options.maxTextLength)).text }),
                // The client never chooses who it is, which conversation it is in, or where replies go.
                from: { id: conversation.userId, role: 'user' } as Activity['from'],
                recipient: botAccount as Activity['recipient'],
                ...(channelData?.clientActivityID && {
                    channelData: { clientActivityID: channelData.clientActivityID },
                }),
            } as Partial<Activity>;
            const id = await conversations.add(conversation.id, activity);
            if (!id) return fail(res, 404, 'BadArgument', 'There is no such conversation.');
            try {
                const taken = await toBot(
                    conversation,
                    { ...activity, id, timestamp: new Date() },
                    options.clientKey(req),
                );
                if (taken.status === 429) {
                    res.header('retry-after', taken.headers.get('retry-after') ?? '10');
                    return fail(res, 429, 'TooManyRequests', 'Too many messages at once: wait a moment and try again.');
                }
                if (!taken.ok)
                    return fail(res, 502, 'BotRejectedActivity', 'The assistant did not accept the activity.');
            } catch (error) {
                log.error('directline.forward_failed', { error });
                return fail(res, 502, 'BotError', 'The assistant could not be reached. Try again.');
            }
            res.send(200, { id });
        },
    );

    server.post(
        '/v3/directline/conversations/:conversationId/upload',
        async (_req: restify.Request, res: restify.Response) => {
            fail(res, 415, 'BadArgument', 'This assistant does not accept files.');
        },
    );

    // Where the bot's replies arrive (its serviceUrl): only the bot knows this path, which is signed with the secret.
    const fromBot = async (req: restify.Request, res: restify.Response) => {
        const key = String(req.params?.key ?? '');
        if (!sameText(key, connectorKey)) return fail(res, 404, 'NotFound', 'Not found.');
        const conversationId = String(req.params?.conversationId ?? '');
        const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Partial<Activity>;
        if (typeof body.type !== 'string') return fail(res, 400, 'BadArgument', 'type: required');
        // eslint-disable-next-line @typescript-eslint/no-unused-vars -- where to reply is nobody else's business
        const { serviceUrl, ...activity } = body;
        const id = await conversations.add(conversationId, { ...activity, from: botAccount as Activity['from'] });
        if (!id) return fail(res, 404, 'BadArgument', 'There is no such conversation.');
        res.send(200, { id });
    };
    server.post('/directline/connector/:key/v3/conversations/:conversationId/activities', fromBot);
    server.post('/directline/connector/:key/v3/conversations/:conversationId/activities/:activityId', fromBot);

    // The WebSocket stream: an ActivitySet per new activity, from the watermark in the URL. Every upgrade request
    // reaching the server comes here, so anything that is not a valid stream request is answered and closed.
    const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
    const streamPath = /^\/v3\/directline\/conversations\/([^/?]+)\/stream$/;
    const refuse = (socket: Duplex, status: string) => {
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        socket.destroy();
    };
    const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        socket.on('error', () => socket.destroy());
        let url: URL;
        let conversationId: string;
        try {
            url = new URL(req.url ?? '/', 'http://directline');
            const match = streamPath.exec(url.pathname);
            if (!match) return refuse(socket, '404 Not Found');
            conversationId = decodeURIComponent(match[1] ?? '');
        } catch {
            return refuse(socket, '400 Bad Request');
        }
        const grant = tokens.verify(url.searchParams.get('t') ?? bearer(req));
        if (!grant || conversationId !== grant.conversationId) return refuse(socket, '403 Forbidden');
        conversations.get(grant.conversationId).then(
            (conversation) => {
                if (!conversation) return refuse(socket, '403 Forbidden');
                if (socket.destroyed) return;
                sockets.handleUpgrade(req, socket, head, (ws) => stream(ws, conversation.id, url));
            },
            (error: unknown) => {
                log.error('directline.stream_failed', { error });
                refuse(socket, '503 Service Unavailable');
            },
        );
    };
    /** Sends the conversation's activities after the URL's watermark, then each new one, until the socket closes. */
    const stream = (ws: WebSocket, conversationId: string, url: URL) => {
        const send = (activities: readonly Partial<Activity>[], watermark: number) => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ activities, watermark: String(watermark) }));
        };
        const from = watermarkOf(url.searchParams.get('watermark') ?? '');
        const stop = conversations.listen(conversationId, from, send, () => ws.terminate());
        // A connection that stops answering pings is gone: it must not keep the conversation alive.
        let alive = true;
        ws.on('pong', () => (alive = true));
        const ping = setInterval(() => {
            if (!alive) return ws.terminate();
            alive = false;
            ws.ping();
        }, pingMs);
        ping.unref();
        const end = () => {
            clearInterval(ping);
            stop();
        };
        ws.on('close', end);
        ws.on('error', end);
        // Clients send empty messages to keep the connection alive; nothing they send is read.
    };
    server.server.on('upgrade', upgrade);

    // Any instance's connector URL (they share the key), whatever its host and port.
    const connectorPath = `/directline/connector/${connectorKey}`;
    return {
        // Cases stored before the marker existed hold the connector URL itself.
        reroute: (url) => (url === storedServiceUrl || url.endsWith(connectorPath) ? serviceUrl() : url),
        forStorage: (url) => (url.endsWith(connectorPath) ? storedServiceUrl : url),
        connectorUrl: serviceUrl,
        forwardedClient: (req) => {
            const proof = req.header(forwardHeader);
            if (!proof || !sameText(proof, forwardKey)) return undefined;
            return req.header(clientKeyHeader) ?? '';
        },
        isConnectorCall: (req) => (req.getPath() ?? '').startsWith(`/directline/connector/${connectorKey}/`),
        close: () => {
            clearInterval(sweep);
            server.server.off('upgrade', upgrade);
            for (const client of sockets.clients) client.terminate();
            sockets.close();
        },
    };
}
