import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../bot/config';
import { createCaseThroughBot } from '../helpers/agentClient';
import { collectPageProblems, expectAccessible, launchChromium } from '../helpers/browser';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { startTestServer } from '../helpers/server';

describe('agent console in a browser', function () {
    this.timeout(60_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let browser: Browser;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        server = await startTestServer({ AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret });
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        agents?.dispose();
    });

    it('signs in, opens the queue and a case, claims and closes it, with no accessibility violations', async () => {
        const reference = await createCaseThroughBot(server.url, 'conv-browser', 'Jo <b>Browser</b>');
        const context = await browser.newContext();
        const page = await context.newPage();
        const blocked = collectPageProblems(page);

        await page.goto(`${server.url}/agent`);
        await expectAccessible(page, 'the sign-in page');
        await page.getByLabel('Username').fill('cs.one');
        await page.getByLabel('Password').fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        expect(await page.getByRole('alert').textContent()).to.contain('There is a problem');
        await expectAccessible(page, 'the sign-in page with an error');

        await page.getByLabel('Password').fill(agentPassword);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { level: 1, name: /Queue/ }).waitFor();
        await expectAccessible(page, 'the queue');

        await page.getByRole('link', { name: reference }).click();
        await page.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();
        // The resident's markup shows as the text they typed, never as an element.
        expect(await page.getByText('Jo <b>Browser</b>').count()).to.be.greaterThan(0);
        expect(await page.locator('main b').count()).to.equal(0);
        await expectAccessible(page, 'the case page');

        await page.getByRole('button', { name: 'Claim this case' }).click();
        await page.getByLabel('Callback needed').check();
        await expectAccessible(page, 'the claimed case page');
        fs.mkdirSync(path.join(projectRoot, 'test-output'), { recursive: true });
        await page.screenshot({ path: path.join(projectRoot, 'test-output', 'agent-case.png'), fullPage: true });
        await page.getByRole('button', { name: 'Close the case' }).click();

        await page.getByText(`Case ${reference} is closed.`).waitFor();
        expect(await page.getByRole('link', { name: reference }).count()).to.equal(0);
        expect(blocked, 'no content security policy violations or page errors').to.deep.equal([]);
    });
});
