import { expect } from 'chai';
import { AgentClient, createCaseThroughBot } from '../../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../../helpers/agentsFixture';
import { startTestServer } from '../../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('agent console over HTTP', function () {
    this.timeout(30_000);
    let server: Server;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
            { username: 'cs.two', name: 'Sam Two', role: 'agent', team: 'customer-services' },
            { username: 'waste.agent', name: 'Wes Waste', role: 'agent', team: 'waste' },
            { username: 'boss', name: 'Morgan Manager', role: 'manager', team: 'waste' },
            { username: 'forgetful', name: 'Fran Forgetful', role: 'agent', team: 'waste' },
        ]);
        server = await startTestServer({ AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret });
    });
    after(async () => {
        await server.close();
        agents.dispose();
    });

    const signedIn = async (username: string) => {
        const client = new AgentClient(server.url);
        const response = await client.signIn(username, agentPassword);
        expect(response.status, response.text).to.equal(303);
        return client;
    };

    it('shows the sign-in form with a strict content security policy', async () => {
        const response = await new AgentClient(server.url).get('/agent');
        expect(response.status).to.equal(200);
        expect(response.text).to.contain('<form method="post" action="/agent/sign-in"');
        expect(response.headers.get('content-security-policy')).to.equal(
            "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        );
        const css = await fetch(`${server.url}/agent/agent.css`);
        expect(css.headers.get('content-type')).to.match(/^text\/css/);
    });

    it('refuses a wrong password with an error summary and no session cookie', async () => {
        const client = new AgentClient(server.url);
        await client.get('/agent');
        const response = await client.post('/agent/sign-in', { username: 'cs.one', password: 'wrong password' });
        expect(response.status).to.equal(401);
        expect(response.text).to.contain('There is a problem');
        expect(response.headers.getSetCookie().join('\n')).to.not.contain('agent_session');
        const unknown = await client.post('/agent/sign-in', { username: 'nobody', password: agentPassword });
        expect(unknown.status).to.equal(401);
    });

    it('locks a username after five failed sign-ins, even against the right password, and says for how long', async () => {
        const client = new AgentClient(server.url);
        await client.get('/agent');
        for (let i = 0; i < 5; i++) {
            const failed = await client.post('/agent/sign-in', { username: 'forgetful', password: `guess ${i}` });
            expect(failed.status).to.equal(401);
        }
        const locked = await client.post('/agent/sign-in', { username: 'Forgetful', password: agentPassword });
        expect(locked.status).to.equal(429);
        expect(Number(locked.headers.get('retry-after'))).to.be.within(1, 60);
        expect(locked.text).to.contain('Too many attempts to sign in. Wait 1 minute, then try again');
        expect(locked.headers.getSetCookie().join('\n')).to.not.contain('agent_session=');
        // An unknown username is locked the same way, so the lock does not reveal which usernames exist.
        for (let i = 0; i < 5; i++) await client.post('/agent/sign-in', { username: 'nobody.here', password: 'x' });
        expect((await client.post('/agent/sign-in', { username: 'nobody.here', password: 'x' })).status).to.equal(429);
        // Other accounts are not affected.
        expect((await new AgentClient(server.url).signIn('cs.two', agentPassword)).status).to.equal(303);
    });

    it('signs in with an HttpOnly, SameSite=Strict session cookie scoped to /agent', async () => {
        const client = new AgentClient(server.url);
        await client.get('/agent');
        const response = await client.post('/agent/sign-in', { username: 'cs.one', password: agentPassword });
        expect(response.status).to.equal(303);
        const cookie = response.headers.getSetCookie().find((c) => c.startsWith('agent_session='));
        expect(cookie).to.match(/HttpOnly/);
        expect(cookie).to.match(/SameSite=Strict/);
        expect(cookie).to.match(/Path=\/agent/);
        expect(cookie).to.match(/Max-Age=28800/);
        expect(cookie).to.not.match(/Secure/);
        expect((await client.get('/agent')).text).to.contain('Signed in as Chris One');
    });

    it('marks the cookie Secure only when a trusted proxy says the request came over TLS', async () => {
        const client = new AgentClient(server.url);
        await client.get('/agent');
        const response = await fetch(`${server.url}/agent`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(response.headers.getSetCookie().join('\n')).to.not.contain('Secure');
        const trusting = await startTestServer({ AGENTS_FILE: agents.file, TRUST_PROXY: '127.0.0.1' });
        try {
            const proxied = await fetch(`${trusting.url}/agent`, { headers: { 'x-forwarded-proto': 'https' } });
            expect(proxied.headers.getSetCookie().join('\n')).to.match(/; Secure/);
            expect(trusting.logLines.join('\n')).to.contain('session_secret.created');
        } finally {
            await trusting.close();
        }
    });

    it('refuses a sign-in without the pre-session CSRF token with 403', async () => {
        const client = new AgentClient(server.url);
        await client.get('/agent');
        const response = await client.post(
            '/agent/sign-in',
            { username: 'cs.one', password: agentPassword },
            { csrf: false },
        );
        expect(response.status).to.equal(403);
        expect(response.headers.getSetCookie().join('\n')).to.not.contain('agent_session');
    });

    it('lists a case made through the bot in its team queue, with its reference', async () => {
        const reference = await createCaseThroughBot(server.url, 'conv-queue', 'Jo Queue');
        const client = await signedIn('cs.one');
        const queue = await client.get('/agent');
        expect(queue.text).to.contain(reference);
        expect(queue.text).to.contain('<th scope="col">Waiting</th>');
        expect(queue.text).to.match(/less than a minute|1 minute/);
    });

    it('refuses a claim without a CSRF token with 403, and one with a token from another session', async () => {
        const reference = await createCaseThroughBot(server.url, 'conv-csrf', 'Jo Csrf');
        const client = await signedIn('cs.one');
        await client.get(`/agent/cases/${reference}`);
        expect((await client.post(`/agent/cases/${reference}/claim`, {}, { csrf: false })).status).to.equal(403);
        const other = await signedIn('cs.two');
        await other.get('/agent');
        const stolen = await client.post(`/agent/cases/${reference}/claim`, { csrf: other.csrf }, { csrf: false });
        expect(stolen.status).to.equal(403);
        const anonymous = new AgentClient(server.url);
        expect((await anonymous.post(`/agent/cases/${reference}/claim`, {})).status).to.equal(401);
    });

    it('lets exactly one of two agents claiming at once have the case; the other is told who took it', async () => {
        const reference = await createCaseThroughBot(server.url, 'conv-race', 'Jo Race');
        const one = await signedIn('cs.one');
        const two = await signedIn('cs.two');
        await one.get(`/agent/cases/${reference}`);
        await two.get(`/agent/cases/${reference}`);
        const results = await Promise.all([
            one.post(`/agent/cases/${reference}/claim`, {}),
            two.post(`/agent/cases/${reference}/claim`, {}),
        ]);
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).to.deep.equal([303, 409]);
        const loser = results.find((r) => r.status === 409);
        expect(loser?.text).to.match(/Already taken by (Chris One|Sam Two)/);
    });

    it('closes a claimed case with an outcome, which takes it off the queue', async () => {
        const reference = await createCaseThroughBot(server.url, 'conv-close', 'Jo Close');
        const client = await signedIn('cs.one');
        await client.get(`/agent/cases/${reference}`);
        expect((await client.post(`/agent/cases/${reference}/claim`, {})).status).to.equal(303);
        const page = await client.get(`/agent/cases/${reference}`);
        expect(page.text).to.contain('name="outcome"');
        expect((await client.post(`/agent/cases/${reference}/close`, { outcome: 'nonsense' })).status).to.equal(400);
        const other = await signedIn('cs.two');
        await other.get(`/agent/cases/${reference}`);
        expect((await other.post(`/agent/cases/${reference}/close`, { outcome: 'resolved' })).status).to.equal(409);
        const closed = await client.post(`/agent/cases/${reference}/close`, { outcome: 'callback' });
        expect(closed.status).to.equal(303);
        const queue = await client.get(closed.headers.get('location') ?? '/agent');
        expect(queue.text).to.contain(`Case ${reference} is closed.`);
        expect(queue.text).to.not.contain(`/agent/cases/${reference}"`);
    });

    it("escapes a resident's <script> in their name on the case page", async () => {
        const reference = await createCaseThroughBot(server.url, 'conv-xss', '<script>alert("x")</script>');
        const client = await signedIn('cs.one');
        const page = await client.get(`/agent/cases/${reference}`);
        expect(page.status).to.equal(200);
        expect(page.text).to.not.contain('<script>alert');
        expect(page.text).to.contain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it("does not show an agent another team's cases; a manager sees every team's", async () => {
        const reference = await createCaseThroughBot(server.url, 'conv-team', 'Jo Team');
        const waste = await signedIn('waste.agent');
        const queue = await waste.get('/agent');
        expect(queue.text).to.contain('Queue: Waste and Recycling');
        expect(queue.text).to.not.contain(reference);
        expect((await waste.get(`/agent/cases/${reference}`)).status).to.equal(404);
        const manager = await signedIn('boss');
        expect((await manager.get('/agent')).text).to.contain(reference);
    });

    it('signs out (a POST with the token), after which the cookie no longer opens the queue', async () => {
        const client = await signedIn('cs.one');
        await client.get('/agent');
        const response = await client.post('/agent/sign-out', {});
        expect(response.status).to.equal(303);
        expect(response.headers.getSetCookie().join('\n')).to.match(/agent_session=; .*Max-Age=0/);
        expect((await client.get('/agent')).text).to.contain('action="/agent/sign-in"');
    });

    it('answers malformed input with 4xx, never a crash', async () => {
        const client = await signedIn('cs.one');
        expect((await client.get('/agent/cases/not-a-reference')).status).to.equal(404);
        expect((await client.get('/agent/cases/ATB-22222')).status).to.equal(404);
        expect((await client.get(`/agent/cases/${'%'.repeat(3)}`)).status).to.be.within(400, 499);
        const json = await fetch(`${server.url}/agent/sign-in`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"username": ["a"], "password": {}}',
        });
        expect(json.status).to.equal(400);
        const broken = await fetch(`${server.url}/agent/sign-in`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"username":',
        });
        expect(broken.status).to.equal(400);
        const forged = new AgentClient(server.url);
        forged.cookies.set('agent_session', 'eyJ1c2VybmFtZSI6ImJvc3MifQ.forged');
        expect((await forged.get('/agent')).text).to.contain('action="/agent/sign-in"');
        expect((await fetch(`${server.url}/readyz`)).status).to.equal(200);
    });
});

describe('agent console without an agents file', () => {
    it('explains how to create the first account instead of failing', async () => {
        const server = await startTestServer({ AGENTS_FILE: '/nonexistent/agents.json' });
        try {
            const response = await fetch(`${server.url}/agent`);
            expect(response.status).to.equal(200);
            expect(await response.text()).to.contain('npm run agent:add');
        } finally {
            await server.close();
        }
    });
});
