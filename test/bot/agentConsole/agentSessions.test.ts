import fs from 'node:fs';
import { expect } from 'chai';
import type { AgentAccount } from '../../../bot/agentConsole/agentDirectory';
import { hashPassword } from '../../../bot/agentConsole/passwordHash';
import { AgentClient, createCaseThroughBot } from '../../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../../helpers/agentsFixture';
import { usePostgres } from '../../helpers/postgres';
import { startTestServer } from '../../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Agents = Awaited<ReturnType<typeof writeAgentsFixture>>;

/** A browser of its own (its own cookies) signed in as `username`. */
async function browserSignedIn(url: string, username: string, password = agentPassword): Promise<AgentClient> {
    const browser = new AgentClient(url);
    const response = await browser.signIn(username, password);
    expect(response.status, response.text).to.equal(303);
    return browser;
}

/** Another browser holding a copy of `from`'s session cookie (stolen, or copied to another machine). */
function copiedCookie(url: string, from: AgentClient): AgentClient {
    const copy = new AgentClient(url);
    copy.cookies.set('agent_session', from.cookies.get('agent_session') ?? '');
    return copy;
}

/** True when the page shown is the sign-in form, i.e. the cookie no longer signs anyone in. */
const signedOut = async (browser: AgentClient) =>
    (await browser.get('/agent')).text.includes('action="/agent/sign-in"');

/** Opens the queue page's event stream with `browser`'s cookie. */
async function openQueueStream(url: string, browser: AgentClient): Promise<Response> {
    const response = await fetch(`${url}/agent/queue/events`, {
        headers: { cookie: `agent_session=${browser.cookies.get('agent_session')}` },
    });
    expect(response.status).to.equal(200);
    return response;
}

/**
 * Reads a stream until the server ends it or `withinMs` passes; says which, and the events that came (the
 * comments and `retry:` line aside).
 */
async function readUntilEnd(response: Response, withinMs: number): Promise<{ ended: boolean; events: string[] }> {
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + withinMs;
    let ended = false;
    while (Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<'idle'>(
            (resolve) => (timer = setTimeout(() => resolve('idle'), deadline - Date.now())),
        );
        const next = await Promise.race([reader.read(), idle]);
        clearTimeout(timer);
        if (next === 'idle') break;
        if (next.done) {
            ended = true;
            break;
        }
        text += decoder.decode(next.value, { stream: true });
    }
    if (!ended) await reader.cancel();
    return { ended, events: [...text.matchAll(/^event: (.*)$/gm)].map((m) => m[1] ?? '') };
}

/** Gives `username` a new password in the agents file, as `npm run agent:add` does. */
async function changePassword(agents: Agents, username: string, password: string): Promise<void> {
    const accounts = JSON.parse(fs.readFileSync(agents.file, 'utf8')) as AgentAccount[];
    const passwordHash = await hashPassword(password, { N: 2 ** 10, r: 8, p: 1 });
    fs.writeFileSync(
        agents.file,
        JSON.stringify(accounts.map((a) => (a.username === username ? { ...a, passwordHash } : a))),
    );
    // The directory re-reads the file when its modification time changes: make sure it does.
    const later = new Date(Date.now() + 2000 + Math.random() * 1000);
    fs.utimesSync(agents.file, later, later);
}

const accounts = [
    { username: 'leaving', name: 'Lee Leaving', role: 'agent' as const, team: 'customer-services' },
    { username: 'rotating', name: 'Ro Tating', role: 'agent' as const, team: 'customer-services' },
    { username: 'watching', name: 'Wat Ching', role: 'agent' as const, team: 'customer-services' },
    { username: 'staying', name: 'Stay Ing', role: 'agent' as const, team: 'customer-services' },
];

describe('agent sessions end everywhere (SQLite)', function () {
    this.timeout(30_000);
    let server: Server;
    let agents: Agents;

    before(async () => {
        agents = await writeAgentsFixture(accounts);
        server = await startTestServer({ AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret });
    });
    after(async () => {
        await server.close();
        agents.dispose();
    });

    it('signing out ends the session in every browser: a copied cookie and a second sign-in are refused', async () => {
        const first = await browserSignedIn(server.url, 'leaving');
        const second = await browserSignedIn(server.url, 'leaving');
        const copy = copiedCookie(server.url, first);
        const other = await browserSignedIn(server.url, 'staying');
        expect(await signedOut(copy)).to.equal(false);
        await first.get('/agent');
        const csrf = first.csrf;

        expect((await first.post('/agent/sign-out', {})).status).to.equal(303);

        expect(await signedOut(copy)).to.equal(true);
        expect(await signedOut(second)).to.equal(true);
        // Nor can the copied cookie post a form, even with the token its page carried.
        const claim = await copy.post('/agent/sign-out', { csrf }, { csrf: false });
        expect(claim.status).to.equal(401);
        // Another agent is not affected, and the agent can sign in again.
        expect(await signedOut(other)).to.equal(false);
        const again = await browserSignedIn(server.url, 'leaving');
        expect(await signedOut(again)).to.equal(false);
        expect(await signedOut(copy)).to.equal(true);
    });

    it('signing out ends an open event stream of the same agent in another browser at once', async () => {
        const desk = await browserSignedIn(server.url, 'watching');
        const laptop = await browserSignedIn(server.url, 'watching');
        const other = await browserSignedIn(server.url, 'staying');
        const deskStream = await openQueueStream(server.url, desk);
        const otherStream = await openQueueStream(server.url, other);
        await laptop.get('/agent');
        expect((await laptop.post('/agent/sign-out', {})).status).to.equal(303);
        // No event is needed: the stream ends as soon as the sign-out is heard of.
        const desk1 = await readUntilEnd(deskStream, 3000);
        expect(desk1.ended).to.equal(true);
        // The other agent's stream carries on, and still hears of a new case.
        const reading = readUntilEnd(otherStream, 3000);
        await createCaseThroughBot(server.url, 'conv-sessions-other', 'Jo Other');
        const other1 = await reading;
        expect(other1.ended).to.equal(false);
        expect(other1.events).to.include('queue');
    });

    it('a new password ends the sessions made with the old one, and their open streams', async () => {
        const desk = await browserSignedIn(server.url, 'rotating');
        const laptop = await browserSignedIn(server.url, 'rotating');
        const stream = await openQueueStream(server.url, laptop);
        await changePassword(agents, 'rotating', 'a completely new password');

        expect(await signedOut(desk)).to.equal(true);
        // The open stream ends at its next event instead of passing it on.
        const reading = readUntilEnd(stream, 5000);
        await createCaseThroughBot(server.url, 'conv-sessions-rotate', 'Jo Rotate');
        const seen = await reading;
        expect(seen.ended).to.equal(true);
        expect(seen.events).to.not.include('queue');

        expect((await new AgentClient(server.url).signIn('rotating', agentPassword)).status).to.equal(401);
        const renewed = await browserSignedIn(server.url, 'rotating', 'a completely new password');
        expect(await signedOut(renewed)).to.equal(false);
    });
});

describe('agent sessions end everywhere (PostgreSQL, two instances)', function () {
    this.timeout(60_000);
    let agents: Agents;
    let drop: () => Promise<void>;
    let one: Server;
    let two: Server;
    // Before usePostgres's own: hooks run in the order they are added, and its `after` closes the connection
    // that drops the schema.
    after(async () => {
        await one?.close();
        await two?.close();
        await drop?.();
        agents.dispose();
    });
    const { freshSchema } = usePostgres('agent_sessions_test');

    before(async () => {
        agents = await writeAgentsFixture(accounts);
        const schema = await freshSchema();
        drop = schema.drop;
        const env = { AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret, DATABASE_URL: schema.url };
        one = await startTestServer(env);
        two = await startTestServer(env);
    });

    it('a sign-out on one instance refuses the session on the other and ends its open stream there', async () => {
        const onOne = await browserSignedIn(one.url, 'leaving');
        // The same session, carried to the other instance (a load balancer without affinity, or a copied cookie).
        const onTwo = copiedCookie(two.url, onOne);
        const secondBrowser = await browserSignedIn(two.url, 'leaving');
        expect(await signedOut(onTwo)).to.equal(false);
        const stream = await openQueueStream(two.url, onTwo);

        await onOne.get('/agent');
        expect((await onOne.post('/agent/sign-out', {})).status).to.equal(303);

        const seen = await readUntilEnd(stream, 5000);
        expect(seen.ended).to.equal(true);
        expect(await signedOut(onTwo)).to.equal(true);
        expect(await signedOut(secondBrowser)).to.equal(true);
        expect(await signedOut(copiedCookie(one.url, onOne))).to.equal(true);
        // Signing in again on either instance works.
        expect(await signedOut(await browserSignedIn(two.url, 'leaving'))).to.equal(false);
    });
});
