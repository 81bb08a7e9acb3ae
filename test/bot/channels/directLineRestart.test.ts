import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import WebSocket from 'ws';
import { AgentClient } from '../../helpers/agentClient';
import { agentPassword, writeAgentsFixture } from '../../helpers/agentsFixture';
import { mondayMorning } from '../../helpers/assistant';
import { connectDirectLine, type DirectLineSession } from '../../helpers/directLineClient';
import { waitInChatSteps } from '../../helpers/fakeChannel';
import { startTestServer } from '../../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;
interface ActivitySet {
    activities: { type: string; text?: string; from: { role?: string }; id?: string }[];
    watermark: string;
}

/** A token from the chat page's token route, as the page gets one. */
async function pageToken(server: Server) {
    const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
    expect(response.status).to.equal(200);
    return (await response.json()) as { token: string; conversationId: string; domain: string };
}

/** The built-in Direct Line's routes on `server`, called with `token` as a page calls them. */
function directLine(server: Server, token: string) {
    const base = `${server.url}/v3/directline`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    return {
        start: () => fetch(`${base}/conversations`, { method: 'POST', headers }),
        reconnect: (conversationId: string, watermark: string) =>
            fetch(`${base}/conversations/${conversationId}?watermark=${watermark}`, { headers }),
        activities: async (conversationId: string, watermark = '0') => {
            const response = await fetch(`${base}/conversations/${conversationId}/activities?watermark=${watermark}`, {
                headers,
            });
            expect(response.status).to.equal(200);
            return (await response.json()) as ActivitySet;
        },
        post: (conversationId: string, text: string) =>
            fetch(`${base}/conversations/${conversationId}/activities`, {
                method: 'POST',
                headers,
                body: JSON.stringify({ type: 'message', text }),
            }),
        refresh: () => fetch(`${base}/tokens/refresh`, { method: 'POST', headers }),
    };
}

/** A WebSocket stream's activity sets, and a wait for a bot message containing a fragment. */
function openStream(url: string) {
    const socket = new WebSocket(url);
    const texts: string[] = [];
    socket.on('message', (data: Buffer) => {
        const set = JSON.parse(data.toString('utf8')) as ActivitySet;
        for (const a of set.activities) if (a.from.role === 'bot' && a.type === 'message') texts.push(a.text ?? '');
    });
    return {
        texts,
        opened: new Promise<void>((resolve, reject) => {
            socket.on('open', () => resolve());
            socket.on('error', reject);
        }),
        async waitFor(fragment: string) {
            const deadline = Date.now() + 10_000;
            while (!texts.some((t) => t.includes(fragment))) {
                if (Date.now() > deadline) throw new Error(`no "${fragment}" on the stream; got:\n${texts.join('\n')}`);
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
        },
        close: () => socket.terminate(),
    };
}

/** Over the official client: asks for a person and waits in the chat; returns the case reference. */
async function residentWaitsInChat(chat: DirectLineSession): Promise<string> {
    let last = '';
    for (const [text, expected] of waitInChatSteps()) {
        await chat.say(text);
        if (expected) last = (await chat.waitForBot(expected)).text ?? '';
    }
    const reference = /ATB-[0-9A-Z]{5}/.exec(last)?.[0];
    if (!reference) throw new Error(`no case reference in: ${last}`);
    return reference;
}

describe('the built-in Direct Line across a restart (SQLite, no SESSION_SECRET)', function () {
    this.timeout(60_000);
    let dataDir: string;
    const running: Server[] = [];
    const sessions: DirectLineSession[] = [];
    /** The service started on the test's data folder (again, after a restart), optionally on a given port. */
    const start = async (env: Record<string, string> = {}, options = {}, port?: number) => {
        const server = await startTestServer(env, options, { dataDir, ...(port !== undefined && { port }) });
        running.push(server);
        return server;
    };
    const restart = async (server: Server, env: Record<string, string> = {}, options = {}, port?: number) => {
        running.splice(running.indexOf(server), 1);
        await server.close();
        return start(env, options, port);
    };
    beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directline-restart-'))));
    afterEach(async () => {
        for (const session of sessions.splice(0)) session.end();
        for (const server of running.splice(0)) await server.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('resumes a conversation with its old token on the restarted service: history, new replies, stream and poll', async () => {
        const first = await start();
        const { token, conversationId } = await pageToken(first);
        expect((await directLine(first, token).start()).status).to.equal(201);
        expect((await directLine(first, token).post(conversationId, 'how do i pay council tax')).status).to.equal(200);
        const before = await directLine(first, token).activities(conversationId);
        expect(before.activities.map((a) => a.text ?? '').join('\n')).to.contain('Council Tax');

        // Another port: nothing about the conversation depends on where the service listened before.
        const second = await restart(first);
        const calls = directLine(second, token);
        const reconnected = await calls.reconnect(conversationId, before.watermark);
        expect(reconnected.status).to.equal(200);
        const { streamUrl, conversationId: same } = (await reconnected.json()) as {
            streamUrl: string;
            conversationId: string;
        };
        expect(same).to.equal(conversationId);
        expect(streamUrl).to.contain(`127.0.0.1:${second.port}/`);
        // Started already: reconnecting does not welcome the resident again.
        expect((await calls.start()).status).to.equal(200);
        expect((await calls.refresh()).status).to.equal(200);
        const history = await calls.activities(conversationId);
        expect(history.activities.map((a) => a.text)).to.deep.equal(before.activities.map((a) => a.text));

        const stream = openStream(streamUrl);
        await stream.opened;
        try {
            expect((await calls.post(conversationId, 'when is my bin day')).status).to.equal(200);
            await stream.waitFor('bin collection day');
            const polled = await calls.activities(conversationId, before.watermark);
            expect(polled.activities.map((a) => a.text ?? '').join('\n')).to.contain('bin collection day');
            expect(Number(polled.watermark)).to.be.greaterThan(Number(before.watermark));
        } finally {
            stream.close();
        }
    });

    it("keeps Web Chat's client connected through a restart on the same port: it reconnects by itself", async () => {
        const first = await start();
        const { token, domain } = await pageToken(first);
        const chat = connectDirectLine({ token, domain });
        sessions.push(chat);
        await chat.waitForBot('Anytown');
        await chat.say('how do i pay council tax');
        await chat.waitForBot('Council Tax');

        await restart(first, {}, {}, first.port);
        // The client finds its stream gone, asks for the conversation again (with the token it has) and carries on.
        await chat.say('when is my bin day');
        await chat.waitForBot('bin collection day', 30_000);
        const welcomes = chat.received.filter((a) => a.type === 'message' && (a.text ?? '').includes('Anytown'));
        expect(welcomes).to.have.length(1);
    });

    it('carries a waiting live chat through a restart: the agent, still signed in, claims and writes, and both sides hear', async () => {
        const agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        try {
            const env = { AGENTS_FILE: agents.file };
            const options = { now: () => mondayMorning, liveChatSweepMs: 60 * 60 * 1000 };
            const first = await start(env, options);
            const { token, domain } = await pageToken(first);
            const chat = connectDirectLine({ token, domain });
            sessions.push(chat);
            await chat.waitForBot('Anytown');
            const reference = await residentWaitsInChat(chat);
            const signedIn = new AgentClient(first.url);
            expect((await signedIn.signIn('cs.one', agentPassword)).status).to.equal(303);

            const second = await restart(first, env, options, first.port);
            // The same browser, its cookie signed before the restart.
            const agent = new AgentClient(second.url);
            for (const [name, value] of signedIn.cookies) agent.cookies.set(name, value);
            // fetch (undici) may first reuse the connection the stopped service closed, and fail once where a
            // browser retries: so does this.
            const queue = await agent.get('/agent').catch(() => agent.get('/agent'));
            expect(queue.text).to.contain('Signed in as Chris One');
            expect((await agent.get(`/agent/cases/${reference}`)).text).to.contain(
                'The resident is waiting in the chat',
            );
            expect((await agent.post(`/agent/cases/${reference}/claim`, {})).status).to.equal(303);
            await chat.waitForBot('Chris from Customer Services has joined the chat.', 30_000);
            await agent.get(`/agent/cases/${reference}`);
            const sent = await agent.post(`/agent/cases/${reference}/messages`, { text: 'Hello after the restart' });
            expect(sent.status).to.equal(303);
            const line = await chat.waitForBot('Hello after the restart');
            expect(line.text).to.equal('Chris, Customer Services adviser: Hello after the restart');

            const answered = chat.received.length;
            await chat.say('The bin is still on the pavement');
            const page = await agent.get(`/agent/cases/${reference}`);
            expect(page.text).to.contain('The bin is still on the pavement');
            // The line went to the adviser: the assistant did not answer it.
            await new Promise((resolve) => setTimeout(resolve, 300));
            const since = chat.received.slice(answered).filter((a) => a.from.role === 'bot');
            expect(since).to.deep.equal([]);
        } finally {
            agents.dispose();
        }
    });

    it('makes the signing secret once, private to its owner, and reuses it; its value is never logged', async () => {
        const first = await start();
        const file = path.join(dataDir, 'session-secret');
        const secret = fs.readFileSync(file, 'utf8').trim();
        expect(secret.length).to.be.at.least(32);
        if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(first.logLines.join('\n')).to.contain('session_secret.created');
        const second = await restart(first);
        expect(fs.readFileSync(file, 'utf8').trim()).to.equal(secret);
        expect(second.logLines.join('\n')).to.contain('session_secret.loaded');
        for (const server of [first, second]) expect(server.logLines.join('\n')).to.not.contain(secret);
        expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
    });

    it('uses SESSION_SECRET when it is set, and keeps no secret of its own', async () => {
        await start({ SESSION_SECRET: 'a-session-secret-of-the-councils-own-0123456789' });
        expect(fs.existsSync(path.join(dataDir, 'session-secret'))).to.equal(false);
    });
});
