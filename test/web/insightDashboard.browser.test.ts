import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { AgentClient } from '../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { expectAccessible, launchChromium } from '../helpers/browser';
import { messageActivity, startTestServer } from '../helpers/server';

describe('the insight dashboard at /insight', function () {
    this.timeout(60_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let browser: Browser;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
            { username: 'boss', name: 'Morgan Manager', role: 'manager' },
        ]);
        server = await startTestServer({ AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret });
        for (const [conversation, text] of [
            ['d1', 'when is my bin day'],
            ['d2', 'how do i pay council tax'],
            ['d3', 'zzqx flibble wobble'],
        ]) {
            await fetch(`${server.url}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(messageActivity(text as string, conversation)),
            });
        }
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        agents?.dispose();
    });

    it('shows managers the same report as npm run report, over the events of the running service', async () => {
        const manager = new AgentClient(server.url);
        await manager.signIn('boss', agentPassword);
        const short = await manager.get('/insight?from=2026-01-01');
        expect(short.status).to.equal(303);
        expect(short.headers.get('location')).to.equal('/agent/insight?from=2026-01-01');
        const page = await manager.get('/agent/insight');
        expect(page.status).to.equal(200);
        expect(page.text).to.contain('Assistant insight');
        expect(page.text).to.match(/<strong>3<\/strong>Conversations/);
        expect(page.text).to.contain('zzqx flibble wobble');
        expect(page.headers.get('content-security-policy')).to.match(/^default-src 'none'; style-src 'nonce-/);
    });

    it('is for managers only: an agent gets 403, nobody signed in goes to sign in', async () => {
        const agent = new AgentClient(server.url);
        await agent.signIn('cs.one', agentPassword);
        expect((await agent.get('/agent/insight')).status).to.equal(403);
        const stranger = await new AgentClient(server.url).get('/agent/insight');
        expect(stranger.status).to.equal(303);
        expect(stranger.headers.get('location')).to.equal('/agent');
    });

    it('has no accessibility violations', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${server.url}/agent`);
        await page.getByLabel('Username').fill('boss');
        await page.getByLabel('Password').fill(agentPassword);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { level: 1, name: /Queue/ }).waitFor();
        await page.goto(`${server.url}/insight`);
        await page.getByRole('heading', { level: 1, name: 'Assistant insight' }).waitFor();
        await expectAccessible(page, 'the insight dashboard');
        await context.close();
    });
});
