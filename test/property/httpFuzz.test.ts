import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import fc from 'fast-check';
import { projectRoot } from '../../bot/config';
import { mac } from '../../bot/signedValue';
import { AgentClient, createCaseThroughBot } from '../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { startInstance, type Instance } from '../helpers/instances';
import { messageActivity, startTestServer } from '../helpers/server';
import { sampleKnowledge } from '../knowledge/knowledgeFixture';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A request as sent on the wire: any method, path, headers and bytes. */
interface RawRequest {
    readonly method: string;
    readonly path: string;
    readonly headers: Record<string, string>;
    readonly body?: Buffer;
}

/** The status of the answer, or the socket error when there was none. */
interface RawAnswer {
    readonly status: number;
    readonly error?: string;
}

/** Sends a request with node:http (which, unlike fetch, sends whatever it is given) and reads the whole answer. */
function send(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
    const url = new URL(baseUrl);
    return new Promise((resolve) => {
        const req = http.request(
            {
                host: url.hostname,
                port: url.port,
                method: request.method,
                path: request.path,
                headers: {
                    ...request.headers,
                    ...(request.body && { 'content-length': String(request.body.length) }),
                },
                timeout: timeoutMs,
            },
            (res) => {
                const status = res.statusCode ?? 0;
                // An event stream never ends by itself: its status is the answer.
                if (/event-stream/.test(String(res.headers['content-type']))) {
                    res.destroy();
                    resolve({ status });
                    return;
                }
                res.resume();
                res.on('end', () => resolve({ status }));
                res.on('error', () => resolve({ status }));
            },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (error) => resolve({ status: 0, error: error.message }));
        req.end(request.body);
    });
}

/**
 * Writes `raw` to a new connection and returns the first line of the answer: '' when the server closed the
 * connection without one. An upgraded WebSocket is closed once its status line arrives.
 */
function rawExchange(baseUrl: string, raw: string): Promise<string> {
    const url = new URL(baseUrl);
    return new Promise((resolve) => {
        let answer = '';
        const socket = net.connect(Number(url.port), url.hostname, () => socket.write(raw));
        const done = () => {
            clearTimeout(timer);
            socket.destroy();
            resolve(answer.split('\r\n')[0] ?? '');
        };
        // A request the server is still waiting to finish (a body shorter than its length) gets no answer.
        const timer = setTimeout(done, 2_000);
        socket.on('data', (chunk: Buffer) => {
            answer += chunk.toString('latin1');
            if (answer.includes('\r\n')) done();
        });
        socket.on('close', done);
        socket.on('error', done);
    });
}

/** What a signed-in agent, a started Direct Line conversation and a stored case give a client. */
interface Credentials {
    readonly directLineToken: string;
    readonly conversationId: string;
    readonly connectorKey: string;
    readonly reference: string;
    readonly agentCookie: string;
    readonly managerCookie: string;
    readonly preSessionCookie: string;
    readonly csrf: string;
    readonly managerCsrf: string;
    /** The sign-in form's CSRF token, for the pre-session cookie. */
    readonly preSessionCsrf: string;
    /** A local channel that takes the bot's replies. */
    readonly replySink: string;
}

const adminToken = 'admin-token-0123456789-abcdefghijklmnop';

const cookieHeader = (client: AgentClient) => [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** The routes the app registers (bot/app.ts, registerChatPage, registerDirectLine, registerAgentConsole, registerAdmin). */
const routes: readonly (readonly [method: string, path: string])[] = [
    ['POST', '/api/messages'],
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['POST', '/admin/reload'],
    ['GET', '/'],
    ['GET', '/embed.js'],
    ['GET', '/chat/webchat.js'],
    ['GET', '/chat/chat.js'],
    ['GET', '/chat/chat.css'],
    ['GET', '/chat/logo'],
    ['GET', '/embed/chat'],
    ['GET', '/embed/config'],
    ['POST', '/api/directline/token'],
    ['POST', '/v3/directline/conversations'],
    ['GET', '/v3/directline/conversations/:conversation'],
    ['POST', '/v3/directline/tokens/refresh'],
    ['GET', '/v3/directline/conversations/:conversation/activities'],
    ['POST', '/v3/directline/conversations/:conversation/activities'],
    ['POST', '/v3/directline/conversations/:conversation/upload'],
    ['POST', '/directline/connector/:key/v3/conversations/:conversation/activities'],
    ['POST', '/directline/connector/:key/v3/conversations/:conversation/activities/:id'],
    ['GET', '/agent'],
    ['GET', '/agent/agent.css'],
    ['GET', '/agent/agent.js'],
    ['POST', '/agent/sign-in'],
    ['POST', '/agent/sign-out'],
    ['GET', '/agent/cases/:reference'],
    ['POST', '/agent/cases/:reference/claim'],
    ['POST', '/agent/cases/:reference/close'],
    ['POST', '/agent/cases/:reference/messages'],
    ['GET', '/agent/cases/:reference/events'],
    ['GET', '/agent/queue/events'],
    ['GET', '/insight'],
    ['GET', '/agent/insight'],
];

/** A string that may be anything a client could put in a field: text, odd Unicode, markup, numbers as text. */
const junk = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('', ' ', '\u0000', '<script>alert(1)</script>', '../../etc/passwd', '%00', '%zz', 'null', '-1'),
);

/** Text a header can carry (node:http refuses control characters and non-Latin-1 in header values). */
const headerText = fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.,;:=/+*%"\'()<>@?!~'), maxLength: 40 });

/** An activity with every field the service reads, each one possibly of the wrong type. */
function activityArbitrary(c: () => Credentials) {
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), junk);
    return fc.record(
        {
            type: fc.oneof(
                fc.constantFrom('message', 'conversationUpdate', 'event', 'invoke', 'typing', 'messageReaction'),
                fc.constantFrom('endOfConversation', 'installationUpdate', 'trace', 'handoff', ''),
                anyValue,
            ),
            id: fc.oneof(junk, anyValue),
            text: fc.oneof(
                junk,
                fc.constantFrom('my bin wasnt emptied', 'talk to a person', 'cancel', 'help', '/why', 'constructor'),
                fc.integer({ min: 1001, max: 30_000 }).map((n) => 'bin '.repeat(n / 4)),
                anyValue,
            ),
            channelId: fc.oneof(fc.constantFrom('test', 'directline', 'msteams', 'webchat', 'emulator'), anyValue),
            serviceUrl: fc.oneof(fc.constantFrom(c().replySink, 'https://example.com', 'not a url', ''), anyValue),
            deliveryMode: fc.oneof(fc.constantFrom('expectReplies', 'normal', 'notification'), anyValue),
            conversation: fc.oneof(
                fc.record({ id: fc.oneof(junk, fc.constant(c().conversationId)) }),
                fc.record({ id: anyValue, isGroup: anyValue, tenantId: anyValue }, { requiredKeys: [] }),
                anyValue,
            ),
            from: fc.oneof(
                fc.record(
                    { id: junk, name: junk, role: fc.constantFrom('user', 'bot', 'agent') },
                    { requiredKeys: ['id'] },
                ),
                fc.record({ id: anyValue, aadObjectId: anyValue }, { requiredKeys: [] }),
                anyValue,
            ),
            recipient: fc.oneof(fc.record({ id: junk }), anyValue),
            locale: fc.oneof(fc.constantFrom('en-GB', 'cy', 'constructor', 'xx-'.repeat(20)), anyValue),
            name: fc.oneof(fc.constantFrom('handoff.status', 'webchat/join', 'startConversation'), anyValue),
            value: fc.oneof(
                anyValue,
                fc.record({ state: fc.constantFrom('accepted', 'completed', 'failed', 'x'), message: junk }),
                fc.integer({ min: 1, max: 2000 }).map((n) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`)),
            ),
            attachments: fc.oneof(
                fc.array(fc.record({ contentType: junk, name: junk, content: anyValue }, { requiredKeys: [] }), {
                    maxLength: 12,
                }),
                anyValue,
            ),
            entities: fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue),
            membersAdded: fc.oneof(fc.array(fc.oneof(fc.record({ id: junk }), anyValue), { maxLength: 3 }), anyValue),
            channelData: fc.oneof(
                fc.record(
                    { clientActivityID: junk, tenant: fc.record({ id: junk }), site: junk },
                    { requiredKeys: [] },
                ),
                anyValue,
            ),
            textFormat: fc.oneof(fc.constantFrom('plain', 'markdown', 'xml'), anyValue),
            timestamp: anyValue,
            replyToId: anyValue,
        },
        { requiredKeys: [] },
    );
}

/** A body and the content type it is sent with (not always the one it is). */
function bodyArbitrary(c: () => Credentials): fc.Arbitrary<{ contentType?: string; body?: Buffer }> {
    const text = (s: string) => Buffer.from(s, 'utf8');
    const activity = activityArbitrary(c).map((a) => JSON.stringify(a));
    const form = fc
        .dictionary(
            fc.oneof(fc.constantFrom('username', 'password', 'csrf', 'outcome', 'text', 'csrf[]', 'text[a]'), junk),
            fc.oneof(
                junk,
                fc.constantFrom('cs.one', agentPassword, 'resolved', 'callback', 'referred', 'hello resident'),
                fc.constantFrom(c().csrf, c().managerCsrf),
                fc.constant('x'.repeat(5000)),
            ),
            { maxKeys: 5 },
        )
        .map((fields) => new URLSearchParams(fields).toString());
    const valid = JSON.stringify(messageActivity('my bin wasnt emptied', 'fuzz-valid'));
    const body = fc.oneof(
        { weight: 4, arbitrary: activity.map((b) => ({ type: 'application/json', bytes: text(b) })) },
        { weight: 2, arbitrary: form.map((b) => ({ type: 'application/x-www-form-urlencoded', bytes: text(b) })) },
        { weight: 1, arbitrary: fc.json().map((b) => ({ type: 'application/json', bytes: text(b) })) },
        {
            weight: 1,
            arbitrary: fc
                .anything({ maxDepth: 3 })
                .map((v) => ({ type: 'application/json', bytes: text(JSON.stringify(v) ?? 'undefined') })),
        },
        {
            weight: 1,
            arbitrary: fc.nat(valid.length).map((n) => ({ type: 'application/json', bytes: text(valid.slice(0, n)) })),
        },
        {
            weight: 1,
            arbitrary: fc
                .uint8Array({ maxLength: 3000 })
                .map((b) => ({ type: 'application/json', bytes: Buffer.from(b) })),
        },
        {
            weight: 1,
            arbitrary: fc.integer({ min: 1, max: 120_000 }).map((n) => ({
                type: 'application/json',
                bytes: text(
                    n % 2 ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n / 5)}1${'}'.repeat(n / 5)}`,
                ),
            })),
        },
        {
            weight: 1,
            // Under the 256 KB limit, but large.
            arbitrary: fc.integer({ min: 50_000, max: 250_000 }).map((n) => ({
                type: 'application/json',
                bytes: text(JSON.stringify({ ...messageActivity('x', 'fuzz-huge'), text: 'a'.repeat(n) })),
            })),
        },
        {
            weight: 1,
            arbitrary: fc
                .constantFrom(
                    '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--xyz--\r\n',
                    '--xyz',
                    'junk',
                )
                .map((b) => ({ type: 'multipart/form-data; boundary=xyz', bytes: text(b) })),
        },
        { weight: 1, arbitrary: junk.map((b) => ({ type: 'text/plain', bytes: text(b) })) },
    );
    const contentType = fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/x-www-form-urlencoded',
        'text/plain',
        'multipart/form-data',
        'multipart/form-data; boundary=xyz',
        'application/octet-stream',
        'application/*',
        ';;;',
        'application/vnd.api+json',
    );
    return fc.oneof(
        { weight: 6, arbitrary: body.map((b) => ({ contentType: b.type, body: b.bytes })) },
        {
            weight: 2,
            arbitrary: fc.tuple(body, contentType).map(([b, type]) => ({ contentType: type, body: b.bytes })),
        },
        { weight: 1, arbitrary: body.map((b) => ({ body: b.bytes })) },
        { weight: 1, arbitrary: fc.constant({}) },
    );
}

/** A request to one of the app's routes (or a path next to one), with any method, headers, query and body. */
function anyRequest(c: () => Credentials): fc.Arbitrary<RawRequest> {
    const site = sampleKnowledge().sites[0];
    const param = (name: string) => {
        const valid = {
            ':conversation': fc.constantFrom(c().conversationId, encodeURIComponent(c().conversationId)),
            ':key': fc.constant(c().connectorKey),
            ':reference': fc.constantFrom(c().reference, c().reference.toLowerCase(), 'ATB-22222'),
            ':id': fc.constant('1'),
        }[name];
        const odd = fc.oneof(
            junk.map((s) => encodeURIComponent(s) || 'x'),
            fc.constantFrom('%', '%zz', '..', '%2e%2e%2f', '%00', 'x'.repeat(3000), '%F0%9F%98%80', '%ED%A0%80'),
        );
        return valid ? fc.oneof(valid, odd) : odd;
    };
    const route = fc.oneof(
        { weight: 10, arbitrary: fc.constantFrom(...routes) },
        {
            weight: 1,
            arbitrary: fc.tuple(
                fc.constantFrom('GET', 'POST'),
                junk.map((s) => `/${encodeURIComponent(s)}`),
            ),
        },
    );
    const method = fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
    );
    const query = fc.oneof(
        fc.constant(''),
        fc
            .dictionary(
                fc.oneof(
                    fc.constantFrom('site', 'parent', 'watermark', 'from', 'to', 'closed', 'after', 't', 'after'),
                    junk,
                ),
                fc.oneof(
                    junk,
                    fc.constantFrom(site?.id ?? '', ...(site?.allowedOrigins ?? []), c().reference),
                    fc.constantFrom('2024-02-30', '0000-00-00', '9999-12-31', '2024-01-01', '99999999999999', '-1'),
                ),
                { maxKeys: 4 },
            )
            .map((q) => `?${new URLSearchParams(q).toString()}`),
        fc.constantFrom('?', '?%', '?%zz=%zz', '?&&==&', '?site', `?${'a=1&'.repeat(2000)}`, '?a=%00%ff'),
    );
    const headers = fc.record(
        {
            authorization: fc.oneof(
                fc.constant(`Bearer ${c().directLineToken}`),
                fc.constant(`Bearer ${adminToken}`),
                headerText.map((t) => `Bearer ${t}`),
                fc.constantFrom('Bearer', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'bearer x.y.z'),
            ),
            cookie: fc.oneof(
                fc.constant(c().agentCookie),
                fc.constant(c().managerCookie),
                fc.constant(c().preSessionCookie),
                headerText.map((t) => `agent_session=${t}`),
                headerText,
                fc.constant(`agent_session=${'a'.repeat(5000)}`),
            ),
            origin: fc.oneof(fc.constantFrom('null', 'http://127.0.0.1', ...(site?.allowedOrigins ?? [])), headerText),
            'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none', 'same-site', 'junk'),
            'x-forwarded-for': fc.constantFrom('203.0.113.9', '::1', 'junk', '1.2.3.4, 5.6.7.8'),
            'x-forwarded-proto': fc.constantFrom('https', 'http', 'junk'),
            host: fc.constantFrom('example.com', 'localhost:1', '[::1]', 'a b', 'x'.repeat(300)),
            accept: fc.constantFrom('application/json', 'text/html', 'text/event-stream', '*/*'),
            'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', 'gzip, deflate'),
            'if-none-match': headerText,
            'last-event-id': fc.oneof(fc.constantFrom('0', '5', '999999999', '-1'), headerText),
        },
        { requiredKeys: [] },
    );
    return fc
        .tuple(route, method, query, headers, bodyArbitrary(c))
        .chain(([[routeMethod, template], chosenMethod, q, h, b]) => {
            const names = template.match(/:[a-z]+/g) ?? [];
            return fc.tuple(...names.map(param)).map((values) => {
                let path = template;
                names.forEach((name, i) => (path = path.replace(name, values[i] as string)));
                const headersWithType: Record<string, string> = {
                    ...(h as Record<string, string>),
                    ...(b.contentType && { 'content-type': b.contentType }),
                };
                return {
                    method: chosenMethod ?? routeMethod,
                    path: path + q,
                    headers: headersWithType,
                    ...(b.body && { body: b.body }),
                };
            });
        });
}

/** An activity that is right but for a few fields, each possibly of the wrong type. */
function almostValid(base: Record<string, unknown>, c: () => Credentials): fc.Arbitrary<string> {
    return fc
        .tuple(
            activityArbitrary(c),
            fc.array(fc.constantFrom(...Object.keys(base), 'value', 'attachments'), { maxLength: 3 }),
        )
        .map(([wrong, keys]) => {
            const activity: Record<string, unknown> = { ...base };
            for (const key of keys) activity[key] = (wrong as Record<string, unknown>)[key];
            return JSON.stringify(activity);
        });
}

/**
 * Requests that get past the first checks: a well-formed activity with a few fields wrong, the Direct Line routes
 * with the conversation's own token, the connector path with its key, the console's forms with a session and its
 * CSRF token, the chat pages with a partner site's parameters.
 */
function targetedRequest(c: () => Credentials): fc.Arbitrary<RawRequest> {
    const site = sampleKnowledge().sites[0];
    const json = { 'content-type': 'application/json' };
    const conversationId = fc.oneof(
        fc.constantFrom('fuzz-a', 'fuzz-b', c().conversationId),
        junk.map((j) => `fuzz-${j}`),
    );
    const toBot = fc
        .tuple(conversationId, fc.constantFrom('my bin wasnt emptied', 'talk to a person', 'yes', 'cancel', 'Pat'))
        .chain(([id, text]) => almostValid({ ...messageActivity(text, id), serviceUrl: c().replySink }, c))
        .map((body): RawRequest => ({ method: 'POST', path: '/api/messages', headers: json, body: Buffer.from(body) }));
    const clientActivity = { type: 'message', text: 'my bin wasnt emptied', channelData: { clientActivityID: 'c1' } };
    const directLine = almostValid(clientActivity, c).map((body): RawRequest => ({
        method: 'POST',
        path: `/v3/directline/conversations/${c().conversationId}/activities`,
        headers: { ...json, authorization: `Bearer ${c().directLineToken}` },
        body: Buffer.from(body),
    }));
    const fromBot = fc
        .tuple(fc.constantFrom(c().conversationId, 'nobody'), fc.constantFrom('', '/1', '/x%20y'))
        .chain(([id, reply]) =>
            almostValid({ type: 'message', text: 'hello', serviceUrl: 'http://x' }, c).map((body): RawRequest => ({
                method: 'POST',
                path: `/directline/connector/${c().connectorKey}/v3/conversations/${id}/activities${reply}`,
                headers: json,
                body: Buffer.from(body),
            })),
        );
    const consoleForm = fc
        .tuple(
            fc.constantFrom('claim', 'close', 'messages'),
            fc.constantFrom(c().reference, c().reference.toLowerCase(), 'ATB-22222'),
            fc.boolean(),
            fc.dictionary(
                fc.constantFrom('outcome', 'text', 'csrf'),
                fc.oneof(junk, fc.constantFrom('resolved', 'referred')),
                {
                    maxKeys: 2,
                },
            ),
            fc.constantFrom('text/html', 'application/json'),
        )
        .map(([action, reference, manager, fields, accept]): RawRequest => ({
            method: 'POST',
            path: `/agent/cases/${encodeURIComponent(reference)}/${action}`,
            headers: {
                'content-type': 'application/x-www-form-urlencoded',
                cookie: manager ? c().managerCookie : c().agentCookie,
                accept,
            },
            body: Buffer.from(
                new URLSearchParams({ csrf: manager ? c().managerCsrf : c().csrf, ...fields }).toString(),
            ),
        }));
    const signIn = fc
        .record(
            {
                username: fc.oneof(junk, fc.constantFrom('cs.one', 'CS.ONE ', 'boss')),
                password: junk,
                csrf: fc.constant(c().preSessionCsrf),
            },
            { requiredKeys: ['username', 'password'] },
        )
        .map((fields): RawRequest => ({
            method: 'POST',
            path: '/agent/sign-in',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: c().preSessionCookie },
            body: Buffer.from(new URLSearchParams(fields).toString()),
        }));
    const consolePage = fc
        .tuple(
            fc.constantFrom(
                '/agent',
                '/agent/insight',
                `/agent/cases/${c().reference}`,
                `/agent/cases/${c().reference}/events`,
                '/agent/queue/events',
            ),
            fc.dictionary(
                fc.constantFrom('from', 'to', 'closed', 'after'),
                fc.oneof(junk, fc.constantFrom('2024-02-30', '2025-01-01', '0001-01-01', '9999-99-99')),
                { maxKeys: 3 },
            ),
            fc.boolean(),
            fc.oneof(fc.constant(undefined), headerText),
        )
        .map(([path, query, manager, lastEventId]): RawRequest => ({
            method: 'GET',
            path: `${path}?${new URLSearchParams(query).toString()}`,
            headers: {
                cookie: manager ? c().managerCookie : c().agentCookie,
                ...(lastEventId !== undefined && { 'last-event-id': lastEventId }),
            },
        }));
    const chatPage = fc
        .tuple(
            fc.constantFrom(
                ['GET', '/'],
                ['GET', '/embed/chat'],
                ['GET', '/embed/config'],
                ['POST', '/api/directline/token'],
            ),
            fc.record(
                {
                    site: fc.oneof(junk, fc.constant(site?.id ?? '')),
                    parent: fc.oneof(junk, fc.constantFrom(...(site?.allowedOrigins ?? []))),
                },
                { requiredKeys: [] },
            ),
            fc.record(
                {
                    origin: fc.oneof(headerText, fc.constantFrom(...(site?.allowedOrigins ?? []))),
                    'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site'),
                },
                { requiredKeys: [] },
            ),
        )
        .map(([[method, path], query, headers]): RawRequest => ({
            method: method as string,
            path: `${path}?${new URLSearchParams(query as Record<string, string>).toString()}`,
            headers: headers as Record<string, string>,
        }));
    return fc.oneof(
        { weight: 4, arbitrary: toBot },
        { weight: 3, arbitrary: directLine },
        { weight: 1, arbitrary: fromBot },
        { weight: 2, arbitrary: consoleForm },
        { weight: 1, arbitrary: signIn },
        { weight: 1, arbitrary: consolePage },
        { weight: 1, arbitrary: chatPage },
    );
}

/** Any request at all, or one made to get past the first checks. */
function requestArbitrary(c: () => Credentials): fc.Arbitrary<RawRequest> {
    return fc.oneof({ weight: 1, arbitrary: anyRequest(c) }, { weight: 1, arbitrary: targetedRequest(c) });
}

/** The fields of an activity the SDK or the bot reads, as paths. */
const activityPath = fc.constantFrom(
    'type',
    'id',
    'locale',
    'replyToId',
    'timestamp',
    'textFormat',
    'conversation.id',
    'conversation.tenantId',
    'conversation.isGroup',
    'conversation.name',
    'from.id',
    'from.name',
    'from.role',
    'recipient',
    'recipient.id',
    'recipient.name',
    'membersAdded',
    'membersRemoved',
    'entities',
    'attachments',
    'channelData',
    'channelData.tenant',
    'value',
    'suggestedActions',
);

/** A value of the wrong type for most fields, or a string no header or id may hold. */
const wrongValue = fc.oneof(
    fc.constantFrom(null, 0, 5, -1, true, false, {}, [], [null], [5], 'x', '', 'a\u0001b', 'é😀', { id: 5 }, [
        { id: null },
    ]),
    fc.jsonValue({ maxDepth: 2 }),
);

/** Sets `a.b.c` in an object, making the objects on the way (or replacing what is not one). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
    const keys = path.split('.');
    let node = target;
    for (const key of keys.slice(0, -1)) {
        const next = node[key];
        node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...next } : {};
        node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1) as string] = value;
}

/**
 * Bot Framework's answer to an invoke activity the bot does not handle is 501 (the invoke response's status, as
 * the protocol says): the one 5xx that is not a fault.
 */
function unhandledInvoke(request: RawRequest, answer: RawAnswer): boolean {
    if (answer.status !== 501 || request.path !== '/api/messages' || request.method !== 'POST') return false;
    try {
        return (JSON.parse(request.body?.toString('utf8') ?? '') as { type?: unknown }).type === 'invoke';
    } catch {
        return false;
    }
}

const describeRequest = (r: RawRequest) =>
    `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 400)} body ${r.body?.length ?? 0} bytes: ` +
    JSON.stringify(r.body?.subarray(0, 300).toString('utf8') ?? '');

/** A channel that takes every reply (the bot's serviceUrl for activities that are not expectReplies). */
async function startReplySink(): Promise<{ url: string; close: () => Promise<void> }> {
    const sink = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ id: 'reply' }));
        });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const { port } = sink.address() as net.AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((resolve) => sink.close(() => resolve())),
    };
}

describe('fuzzing every HTTP route (property)', function () {
    this.timeout(180_000);
    let server: Server;
    let sink: Awaited<ReturnType<typeof startReplySink>>;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let credentials: Credentials | undefined;
    const c = () => credentials as Credentials;
    const escaped: unknown[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    const errorsLogged = (from = 0) => server.logLines.slice(from).filter((line) => /"level":"error"/.test(line));

    before(async () => {
        process.on('uncaughtException', onEscape);
        process.on('unhandledRejection', onEscape);
        sink = await startReplySink();
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
            { username: 'boss', name: 'Morgan Manager', role: 'manager' },
        ]);
        server = await startTestServer({
            AGENTS_FILE: agents.file,
            SESSION_SECRET: testSessionSecret,
            ADMIN_TOKEN: adminToken,
            KNOWLEDGE_WATCH: 'false',
        });
        const issued = (await (await fetch(`${server.url}/api/directline/token`, { method: 'POST' })).json()) as {
            token: string;
            conversationId: string;
        };
        const started = await fetch(`${server.url}/v3/directline/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${issued.token}` },
        });
        expect(started.status).to.equal(201);
        const reference = await createCaseThroughBot(server.url, 'fuzz-case', 'Pat Example');
        const agent = new AgentClient(server.url);
        expect((await agent.signIn('cs.one', agentPassword)).status).to.equal(303);
        await agent.get('/agent');
        const manager = new AgentClient(server.url);
        expect((await manager.signIn('boss', agentPassword)).status).to.equal(303);
        await manager.get('/agent');
        const signedOut = new AgentClient(server.url);
        await signedOut.get('/agent');
        credentials = {
            directLineToken: ((await started.json()) as { token: string }).token,
            conversationId: issued.conversationId,
            connectorKey: mac(testSessionSecret, 'direct-line-connector'),
            reference,
            agentCookie: cookieHeader(agent),
            managerCookie: cookieHeader(manager),
            preSessionCookie: cookieHeader(signedOut),
            csrf: agent.csrf,
            managerCsrf: manager.csrf,
            preSessionCsrf: signedOut.csrf,
            replySink: sink.url,
        };
    });

    after(async () => {
        process.off('uncaughtException', onEscape);
        process.off('unhandledRejection', onEscape);
        await server?.close();
        await sink?.close();
        agents?.dispose();
    });

    /** The service still answers and nothing escaped to the process. */
    async function expectStillServing(): Promise<void> {
        const health = await send(server.url, { method: 'GET', path: '/healthz', headers: {} });
        expect(health.status, 'GET /healthz').to.equal(200);
        expect(escaped.map(String), 'uncaught exceptions and unhandled rejections').to.deep.equal([]);
    }

    it('answers any request to any route with 2xx, 3xx or 4xx, and keeps answering', async () => {
        await fc.assert(
            fc.asyncProperty(requestArbitrary(c), async (request) => {
                const answer = await send(server.url, request);
                expect(answer.error, describeRequest(request)).to.equal(undefined);
                if (!unhandledInvoke(request, answer)) {
                    expect(answer.status, describeRequest(request)).to.be.within(200, 499);
                }
                expect(escaped.map(String), describeRequest(request)).to.deep.equal([]);
            }),
            { seed: 20_240_801, numRuns: 400 },
        );
        await expectStillServing();
    });

    it('takes every activity it accepts through a whole turn, logging no error', async () => {
        const conversation = fc.constantFrom('fuzz-turn-a', 'fuzz-turn-b', 'fuzz-turn-c');
        const text = fc.constantFrom('my bin wasnt emptied', 'talk to a person', 'help', 'Pat', 'yes');
        await fc.assert(
            fc.asyncProperty(
                fc
                    .tuple(
                        conversation,
                        text,
                        fc.boolean(),
                        fc.array(fc.tuple(activityPath, wrongValue), { maxLength: 2 }),
                    )
                    .map(([id, words, expectReplies, changes]) => {
                        const activity: Record<string, unknown> = {
                            ...messageActivity(words, id),
                            serviceUrl: c().replySink,
                            deliveryMode: expectReplies ? 'expectReplies' : 'normal',
                        };
                        for (const [path, value] of changes) setPath(activity, path, value);
                        return JSON.stringify(activity);
                    }),
                async (body) => {
                    const request: RawRequest = {
                        method: 'POST',
                        path: '/api/messages',
                        headers: { 'content-type': 'application/json' },
                        body: Buffer.from(body),
                    };
                    const logged = server.logLines.length;
                    const answer = await send(server.url, request);
                    if (!unhandledInvoke(request, answer)) {
                        expect(answer.status, describeRequest(request)).to.be.within(200, 499);
                    }
                    const errors = answer.status < 300 ? errorsLogged(logged) : [];
                    expect(errors.length, `${describeRequest(request)}\nlogged: ${errors.join('')}`).to.equal(0);
                },
            ),
            { seed: 20_240_803, numRuns: 100 },
        );
        await expectStillServing();
    });

    it('refuses a body over MAX_BODY_BYTES with 413, and malformed JSON with 400, on both message routes', async () => {
        const messageRoutes = [
            { path: '/api/messages', authorization: '' },
            {
                path: `/v3/directline/conversations/${c().conversationId}/activities`,
                authorization: c().directLineToken,
            },
        ];
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(...messageRoutes),
                fc.oneof(
                    fc.integer({ min: 262_145, max: 600_000 }).map((n) => ({
                        body: JSON.stringify({ ...messageActivity('x', 'fuzz-big'), text: 'a'.repeat(n) }),
                        expected: 413,
                    })),
                    fc
                        .tuple(fc.nat(), fc.constantFrom('', '}', ',', ':', '"', '{"a":', 'nul', '\u0000'))
                        .map(([cut, tail]) => {
                            const valid = JSON.stringify(messageActivity('my bin', 'fuzz-bad'));
                            return valid.slice(0, cut % valid.length) + tail;
                        })
                        .filter((body) => {
                            try {
                                JSON.parse(body);
                                return false;
                            } catch {
                                return true;
                            }
                        })
                        .map((body) => ({ body, expected: 400 })),
                ),
                async (route, { body, expected }) => {
                    const request: RawRequest = {
                        method: 'POST',
                        path: route.path,
                        headers: {
                            'content-type': 'application/json',
                            ...(route.authorization && { authorization: `Bearer ${route.authorization}` }),
                        },
                        body: Buffer.from(body),
                    };
                    const answer = await send(server.url, request);
                    expect(answer.status, describeRequest(request)).to.equal(expected);
                },
            ),
            { seed: 20_240_802, numRuns: 30 },
        );
        await expectStillServing();
    });

    it('answers any raw request line, header block and WebSocket upgrade with a status below 500, and keeps answering', async () => {
        const token = fc.constantFrom(c().directLineToken, c().directLineToken, 'x.y', '');
        const target = fc.oneof(
            fc
                .tuple(fc.constantFrom(c().conversationId, c().conversationId, 'nobody', '%E0%A4%A', '%'), token, junk)
                .map(
                    ([id, t, watermark]) =>
                        `/v3/directline/conversations/${id}/stream?t=${encodeURIComponent(t)}&watermark=${encodeURIComponent(watermark)}`,
                ),
            fc.constantFrom('http://[/x', '*', '//', '/%', '/?%zz', 'x', '/agent/../../etc/passwd', '/healthz#x'),
            fc.constantFrom(...routes).map(([, path]) => path),
        );
        // Mostly well-formed request lines (so the routes are reached), sometimes anything at all.
        const requestLine = fc.oneof(
            {
                weight: 6,
                arbitrary: fc
                    .tuple(
                        fc.constantFrom(
                            'GET',
                            'GET',
                            'GET',
                            'POST',
                            'POST',
                            'BREW',
                            'get',
                            'CONNECT',
                            'TRACE',
                            'M-SEARCH',
                        ),
                        target,
                        fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', ''),
                    )
                    .map(([method, path, version]) => `${method} ${path} ${version}`.trimEnd()),
            },
            {
                weight: 1,
                arbitrary: fc
                    .string({ unit: 'binary-ascii', maxLength: 60 })
                    .map((line) => line.replace(/[\r\n]/g, ' ')),
            },
        );
        const wellFormed = fc.constantFrom(
            'Connection: Upgrade',
            'Upgrade: websocket',
            'Upgrade: h2c',
            'Sec-WebSocket-Version: 13',
            'Sec-WebSocket-Version: 99',
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
            'Content-Type: application/json',
            'Content-Length: 0',
            'Content-Length: 5',
            'Transfer-Encoding: chunked',
            `Authorization: Bearer ${c().directLineToken}`,
            `Cookie: ${c().agentCookie}`,
            'Expect: 100-continue',
        );
        const malformed = fc.constantFrom(
            'Content-Length: -1',
            'Content-Length: 99999999999',
            'Content-Length: 1, 2',
            'Transfer-Encoding: gzip, chunked',
            ' folded: header',
            'No colon',
            'Host: second',
        );
        // Host first (HTTP/1.1 requires it), then mostly well-formed headers, the upgrade ones often.
        const headerLines = fc
            .tuple(
                fc.constantFrom(['Host: x'], ['Host: x'], ['Host: x'], []),
                fc
                    .boolean()
                    .map((upgrade) =>
                        upgrade
                            ? [
                                  'Connection: Upgrade',
                                  'Upgrade: websocket',
                                  'Sec-WebSocket-Version: 13',
                                  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
                              ]
                            : [],
                    ),
                fc.array(
                    fc.oneof(
                        { weight: 4, arbitrary: wellFormed },
                        { weight: 1, arbitrary: malformed },
                        headerText.map((t) => `X-Fuzz: ${t}`),
                    ),
                    {
                        maxLength: 4,
                    },
                ),
            )
            .map(([host, upgrade, more]) => [...host, ...upgrade, ...more]);
        const body = fc.oneof(fc.constant(''), junk, fc.constantFrom('0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\n'));
        await fc.assert(
            fc.asyncProperty(requestLine, headerLines, body, async (line, headers, content) => {
                const raw = `${line}\r\n${headers.join('\r\n')}${headers.length ? '\r\n' : ''}\r\n${content}`;
                const statusLine = await rawExchange(server.url, raw);
                // Either an HTTP answer below 500 (101 for an upgraded stream), or the server closed the connection.
                if (statusLine !== '') expect(statusLine, JSON.stringify(raw)).to.match(/^HTTP\/1\.[01] [1-4]\d\d\b/);
                expect(escaped.map(String), JSON.stringify(raw)).to.deep.equal([]);
            }),
            { seed: 20_240_805, numRuns: 150 },
        );
        await expectStillServing();
    });

    // A body the server cannot read must not stop the process, so this runs against the service in a process of its
    // own, started as `npm start` does: a crash there is a failed request here, not a crash of the test run.
    describe('in a process of its own', () => {
        let instance: Instance;
        let dataDir: string;

        before(async () => {
            dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-instance-'));
            instance = await startInstance('fuzz', {
                DATA_DIR: dataDir,
                KNOWLEDGE_DIR: path.join(projectRoot, 'knowledge', 'sample'),
                KNOWLEDGE_WATCH: 'false',
            });
        });
        after(async () => {
            await instance?.stop();
            fs.rmSync(dataDir, { recursive: true, force: true });
        });

        it('refuses a compressed body it will not inflate with 4xx, and keeps answering', async () => {
            const paths = ['/api/messages', '/agent/sign-in', '/api/directline/token', '/v3/directline/conversations'];
            await fc.assert(
                fc.asyncProperty(
                    fc.constantFrom(...paths),
                    fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x'),
                    fc.oneof(
                        fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
                        fc.constant(gzipSync(JSON.stringify(messageActivity('my bin', 'fuzz-gzip'))).subarray(0, 20)),
                    ),
                    async (path, encoding, body) => {
                        const request: RawRequest = {
                            method: 'POST',
                            path,
                            headers: { 'content-type': 'application/json', 'content-encoding': encoding },
                            body,
                        };
                        const answer = await send(instance.url, request, 5_000);
                        expect(answer.error, describeRequest(request)).to.equal(undefined);
                        expect(answer.status, describeRequest(request)).to.be.within(400, 499);
                        const health = await send(instance.url, { method: 'GET', path: '/healthz', headers: {} });
                        expect(health.status, `GET /healthz after ${describeRequest(request)}`).to.equal(200);
                    },
                ),
                // A process that crashed cannot be asked again: report the first failure, unshrunk.
                { seed: 20_240_804, numRuns: 20, endOnFailure: true },
            );
        });
    });
});
