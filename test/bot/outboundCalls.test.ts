import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { AgentClient } from '../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { mondayMorning } from '../helpers/assistant';
import { residentWaitsInChat, startFakeChannel } from '../helpers/fakeChannel';
import { messageActivity, startTestServer } from '../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Reply = { type: string; text?: string; suggestedActions?: { actions: { title?: string }[] } };

/** Any HTTP endpoint an attacker would like the server to call (a metadata service, an internal API). */
async function startTarget() {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"x"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

async function post(url: string, body: unknown): Promise<{ status: number; replies: Reply[] }> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as { activities?: Reply[] }) : {};
    return { status: response.status, replies: parsed.activities ?? [] };
}

const storedConversation = (server: Server, reference: string) => {
    const db = new Database(path.join(server.dataDir, 'assistant.sqlite'), { readonly: true });
    try {
        const row = db.prepare('SELECT data FROM cases WHERE reference = ?').get(reference) as { data: string };
        return (JSON.parse(row.data) as { conversation: { serviceUrl?: string } }).conversation;
    } finally {
        db.close();
    }
};

const waitUntil = async (done: () => boolean, what: string, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
};

describe('outbound calls: only to allowed channels, and never waiting on one for ever', function () {
    this.timeout(60_000);
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
    });
    after(() => agents.dispose());

    const signedIn = async (server: Server) => {
        const agent = new AgentClient(server.url);
        expect((await agent.signIn('cs.one', agentPassword)).status).to.equal(303);
        await agent.get('/agent');
        return agent;
    };

    describe('a serviceUrl nothing vouches for, through expectReplies', () => {
        let server: Server;
        let target: Awaited<ReturnType<typeof startTarget>>;
        before(async () => {
            target = await startTarget();
            server = await startTestServer(
                { AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret },
                { now: () => mondayMorning, liveChatSweepMs: 50 },
            );
        });
        after(async () => {
            await server.close();
            await target.close();
        });

        it('is answered in the response, never offered live chat, not kept in the case, and never called', async () => {
            const say = (text: string) =>
                post(server.url, { ...messageActivity(text, 'ssrf'), serviceUrl: `${target.url}/latest/meta-data` });
            await say('can i speak to someone');
            const methods = (await say('Alex Resident')).replies.flatMap(
                (r) => r.suggestedActions?.actions.map((a) => a.title) ?? [],
            );
            expect(methods).to.include('Phone');
            expect(methods, 'live chat is open on Monday morning, but not for this conversation').not.to.include(
                'Carry on in this chat',
            );
            for (const step of ['Phone', '07700900123', 'Yes, share them']) await say(step);
            const received = (await say('Yes, send it')).replies.map((r) => r.text ?? '').join('\n');
            const reference = /ATB-[0-9A-Z]{5}/.exec(received)?.[0] ?? '';
            expect(reference).to.match(/^ATB-/);
            expect(storedConversation(server, reference).serviceUrl).to.equal(undefined);

            const agent = await signedIn(server);
            expect((await agent.post(`/agent/cases/${reference}/claim`, {})).status).to.equal(303);
            expect((await agent.post(`/agent/cases/${reference}/close`, { outcome: 'resolved' })).status).to.equal(303);
            await new Promise((resolve) => setTimeout(resolve, 200));
            expect(target.requests).to.deep.equal([]);
        });

        it('refuses a turn that would reply to it (no expectReplies) with 403', async () => {
            const { status } = await post(server.url, {
                ...messageActivity('hello', 'ssrf-2'),
                deliveryMode: undefined,
                serviceUrl: target.url,
            });
            expect(status).to.equal(403);
            expect(target.requests).to.deep.equal([]);
        });
    });

    describe('a case kept before this check, whose conversation names a URL that is not allowed', () => {
        let server: Server;
        let target: Awaited<ReturnType<typeof startTarget>>;
        let channel: Awaited<ReturnType<typeof startFakeChannel>>;
        before(async () => {
            target = await startTarget();
            channel = await startFakeChannel();
            server = await startTestServer(
                { AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret, ALLOWED_SERVICE_URLS: channel.url },
                { now: () => mondayMorning, liveChatSweepMs: 60 * 60 * 1000 },
            );
        });
        after(async () => {
            await server.close();
            await channel.close();
            await target.close();
        });

        it('is checked where the server sends: claiming and writing reach nobody', async () => {
            const reference = await residentWaitsInChat(channel, server.url, 'legacy');
            const db = new Database(path.join(server.dataDir, 'assistant.sqlite'));
            const row = db.prepare('SELECT data FROM cases WHERE reference = ?').get(reference) as { data: string };
            const data = JSON.parse(row.data) as { conversation: { serviceUrl: string } };
            data.conversation.serviceUrl = target.url;
            db.prepare('UPDATE cases SET data = ? WHERE reference = ?').run(JSON.stringify(data), reference);
            db.close();

            const agent = await signedIn(server);
            expect((await agent.post(`/agent/cases/${reference}/claim`, {})).status).to.equal(303);
            const sent = await agent.post(`/agent/cases/${reference}/messages`, { text: 'Hello from Chris' });
            expect(sent.status).to.equal(502);
            expect(target.requests).to.deep.equal([]);
            expect(server.logLines.join('\n')).to.contain('OutboundRefusedError');
        });
    });

    describe('a channel that accepts and never answers', () => {
        let server: Server;
        let channel: Awaited<ReturnType<typeof startFakeChannel>>;
        let clock = mondayMorning;
        before(async () => {
            channel = await startFakeChannel();
            server = await startTestServer(
                {
                    AGENTS_FILE: agents.file,
                    SESSION_SECRET: testSessionSecret,
                    ALLOWED_SERVICE_URLS: channel.url,
                    CHANNEL_TIMEOUT_SECONDS: '3',
                },
                { now: () => clock, liveChatSweepMs: 50 },
            );
        });
        after(async () => {
            await server.close();
            await channel.close();
        });

        it('delays no other resident’s chat time-out, and is given up after the channel time-out', async () => {
            const blackHoled = await residentWaitsInChat(channel, server.url, 'hole');
            await residentWaitsInChat(channel, server.url, 'first');
            channel.blackHole('hole');
            // Nobody claims within the ten minutes: both time out in one sweep, the black-holed chat first.
            clock = new Date(mondayMorning.getTime() + 11 * 60_000);
            await channel.waitForText('first', 'no adviser is free', 2_500);
            expect(channel.hung()).to.have.length(1);

            // A later resident's time-out is not held up behind the hung notice either.
            clock = mondayMorning;
            await residentWaitsInChat(channel, server.url, 'later');
            clock = new Date(mondayMorning.getTime() + 11 * 60_000);
            await channel.waitForText('later', 'no adviser is free', 2_500);

            // The hung notice is given up (its socket closed) once the channel time-out passes.
            await waitUntil(() => channel.hung().every((h) => h.abandoned), 'the hung request is abandoned');
            expect(server.logLines.join('\n')).to.contain(`"reference":"${blackHoled}"`);
            expect(server.logLines.some((l) => l.includes('live_chat.notify_failed'))).to.equal(true);
        });

        it('answers a resident’s turn in bounded time, freeing the request', async () => {
            clock = mondayMorning;
            channel.blackHole('stuck');
            const response = await fetch(`${server.url}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({
                    ...messageActivity('when is my bin collected', 'stuck'),
                    channelId: 'webchat',
                    deliveryMode: undefined,
                    serviceUrl: channel.url,
                }),
            });
            await response.arrayBuffer();
            // Answered rather than held: the reply and then the apology each time out, and the turn ends.
            expect(response.status).to.be.a('number');
            expect(server.logLines.join('\n')).to.contain('OutboundTimeoutError');
            await waitUntil(() => channel.hung().every((h) => h.abandoned), 'every hung request is abandoned');
        });
    });
});
