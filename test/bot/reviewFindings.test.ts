import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { connectionsPerAddress } from '../../bot/connectionLimits';
import { ProxyTrust } from '../../bot/proxyTrust';
import { clientLimitKey } from '../../bot/rateLimit/registerRateLimits';
import type restify from 'restify';
import { openChat } from '../helpers/directLineClient';
import { messageActivity, outwardAddress, startTestServer } from '../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A built-in Direct Line conversation started as a page would: its token and id. */
async function startConversation(server: Server) {
    const issued = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
    const { token, conversationId } = (await issued.json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${token}` };
    await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: auth });
    const post = (activity: unknown) =>
        fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify(activity),
        });
    const activities = async () =>
        (
            (await (
                await fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, { headers: auth })
            ).json()) as { activities: Record<string, unknown>[] }
        ).activities;
    return { token, conversationId, post, activities };
}

describe('what a second attack review found', function () {
    this.timeout(60_000);
    let server: Server;
    before(async () => {
        server = await startTestServer({ RATE_LIMIT_PER_CONVERSATION: '8' });
    });
    after(() => server.close());

    it('refuses a client event whose value is a few KB of empty objects (megabytes once kept)', async () => {
        const chat = await startConversation(server);
        const bloated = await chat.post({ type: 'event', name: 'x', value: Array.from({ length: 1000 }, () => ({})) });
        expect(bloated.status).to.equal(400);
        expect(((await bloated.json()) as { error: { message: string } }).error.message).to.match(/^value: /);
        expect((await chat.post({ type: 'event', name: 'x', value: { page: 'bins', n: 1 } })).status).to.equal(200);
    });

    it('counts every client activity against its conversation before keeping it, events included', async () => {
        const chat = await startConversation(server);
        const statuses = [];
        for (let i = 0; i < 10; i++) statuses.push((await chat.post({ type: 'event', name: 'ping' })).status);
        expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
        const kept = (await chat.activities()).filter((a) => a.type === 'event');
        expect(kept).to.have.length(8);
    });

    it('masks card numbers in a client event’s name and value and in a file’s name, before keeping them', async () => {
        const chat = await startConversation(server);
        const card = '4111 1111 1111 1111';
        expect(
            (
                await chat.post({
                    type: 'event',
                    name: `card ${card}`,
                    value: { cardNumber: card, nested: [`cvv 123 ${card}`] },
                })
            ).status,
        ).to.equal(200);
        await chat.post({ type: 'message', attachments: [{ contentType: 'image/png', name: `${card}.png` }] });
        const kept = JSON.stringify(await chat.activities());
        expect(kept).not.to.match(/4111\D{0,4}1111\D{0,4}1111/);
        expect(kept).to.contain('[card ending 1111]');
    });

    it('keeps at most four times MAX_MESSAGE_LENGTH of a message, and a cut copy in the transcript', async () => {
        const huge = `my bin was missed ${'x'.repeat(250_000)}`;
        const response = await fetch(`${server.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(messageActivity(huge, 'huge-text')),
        });
        expect(response.status).to.equal(200);
        const db = new Database(path.join(server.dataDir, 'assistant.sqlite'), { readonly: true });
        try {
            const rows = db.prepare('SELECT key, data FROM bot_state').all() as { key: string; data: string }[];
            const row = rows.find((r) => r.key.includes('huge-text'));
            expect(row, 'the conversation has state').not.to.equal(undefined);
            expect(row?.data.length ?? 0).to.be.below(5_000);
        } finally {
            db.close();
        }
    });

    it('gives a partner site’s token only to a request saying it comes from the service’s own page', async () => {
        const url = `${server.url}/api/directline/token?site=riverside-housing&parent=${encodeURIComponent('https://www.riversidehousing.example')}`;
        expect((await fetch(url, { method: 'POST' })).status).to.equal(403);
        expect((await fetch(url, { method: 'POST', headers: { origin: server.url } })).status).to.equal(200);
        expect((await fetch(url, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })).status).to.equal(
            200,
        );
        expect((await fetch(url, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } })).status).to.equal(
            403,
        );
    });

    it('never writes the built-in Direct Line’s secret connector path into a case', async () => {
        const chat = await openChat(server.url);
        try {
            await chat.waitForBot('Hello');
            for (const [text, reply] of [
                ['can i speak to someone', 'your name'],
                ['Alex Resident', 'How would you like'],
                ['Phone', 'phone number'],
                ['07700900123', 'Can we share'],
                ['Yes, share them', 'Is this right'],
                ['Yes, send it', 'Your reference is'],
            ] as const) {
                await chat.say(text);
                await chat.waitForBot(reply);
            }
        } finally {
            chat.end();
        }
        const db = new Database(path.join(server.dataDir, 'assistant.sqlite'), { readonly: true });
        try {
            const cases = db.prepare('SELECT data FROM cases').all() as { data: string }[];
            const urls = cases.map(
                (c) => (JSON.parse(c.data) as { conversation: { serviceUrl?: string } }).conversation,
            );
            expect(urls.map((c) => c.serviceUrl)).to.include('directline:built-in');
            expect(cases.map((c) => c.data).join('\n')).not.to.contain('/directline/connector/');
        } finally {
            db.close();
        }
    });
});

describe('limits keyed on a household, not one address', () => {
    const key = (address: string) =>
        clientLimitKey(
            { socket: { remoteAddress: address }, headers: {} } as unknown as restify.Request,
            ProxyTrust.parse(''),
        );

    it('counts every IPv6 address of one /64 as one client, and IPv4 addresses as themselves', () => {
        expect(key('2001:db8:1:2::1')).to.equal(key('2001:db8:1:2:ffff:ffff:ffff:6'));
        expect(key('2001:db8:1:3::1')).not.to.equal(key('2001:db8:1:2::1'));
        expect(key('::ffff:192.0.2.1')).to.equal('192.0.2.1');
        expect(key('192.0.2.1')).not.to.equal(key('192.0.2.2'));
    });
});

describe('connections held open without finishing a request (slow-loris)', function () {
    this.timeout(30_000);

    it(`closes an address's connections beyond ${connectionsPerAddress}, and the service still answers`, async function () {
        const address = outwardAddress();
        // Every connection a test makes otherwise comes from loopback, which is not counted.
        if (!address) this.skip();
        const server = await startTestServer({}, {}, { host: '0.0.0.0' });
        const sockets: net.Socket[] = [];
        try {
            const closed: boolean[] = [];
            for (let i = 0; i < connectionsPerAddress + 6; i++) {
                const socket = net.connect(server.port, address);
                sockets.push(socket);
                const index = i;
                socket.on('close', () => (closed[index] = true));
                socket.on('error', () => undefined);
                // Half a request, never finished.
                socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
            expect(closed.filter(Boolean).length, 'connections beyond the cap closed').to.be.at.least(6);
            expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
        } finally {
            for (const socket of sockets) socket.destroy();
            await server.close();
        }
    });
});
