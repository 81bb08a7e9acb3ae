import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../bot/config';
import { collectPageProblems, expectAccessible, launchChromium } from '../helpers/browser';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { mondayMorning } from '../helpers/assistant';
import { residentWaitsInChat, startFakeChannel } from '../helpers/fakeChannel';
import { startTestServer } from '../helpers/server';

type Channel = Awaited<ReturnType<typeof startFakeChannel>>;

/** Waits until a line containing `text` is in the page's chat log, whether agent.js or the server put it there. */
async function chatLine(page: Page, text: string): Promise<void> {
    await page.locator('#chat-log li').filter({ hasText: text }).waitFor({ timeout: 10_000 });
}

/** The page's global object with a marker that a reload would lose. */
type Marked = typeof globalThis & { __marker?: string };

/** Polls `done` until it holds, failing after a few seconds with `what`. */
async function waitUntil(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

async function signIn(page: Page): Promise<void> {
    await page.getByLabel('Username').fill('cs.one');
    await page.getByLabel('Password').fill(agentPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /Queue/ }).waitFor();
}

describe('live chat in the agent console, in a browser', function () {
    this.timeout(60_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let channel: Channel;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let browser: Browser;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        channel = await startFakeChannel();
        server = await startTestServer(
            { AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret, ALLOWED_SERVICE_URLS: channel.url },
            { now: () => mondayMorning, liveChatSweepMs: 60 * 60 * 1000 },
        );
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        await channel?.close();
        agents?.dispose();
    });

    it('joins a waiting resident, chats both ways without reloading, and ends the chat, all accessibly', async () => {
        const conversation = 'browser-chat-1';
        const reference = await residentWaitsInChat(channel, server.url, conversation, 'Jo <b>Browser</b>');

        const context = await browser.newContext();
        const page = await context.newPage();
        const blocked = collectPageProblems(page);
        // Each case page that agent.js runs on opens the case's event stream; its headers mean the server is listening.
        let streamsOpened = 0;
        page.on('response', (response) => {
            if (new URL(response.url()).pathname === `/agent/cases/${reference}/events`) streamsOpened += 1;
        });

        await page.goto(`${server.url}/agent`);
        await signIn(page);
        await expectAccessible(page, 'the queue with a resident waiting in the chat');

        await page.getByRole('link', { name: reference }).click();
        await page.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();
        expect(await page.locator('#chat-status').textContent()).to.contain('The resident is waiting in the chat');
        // The resident's markup shows as the text they typed, never as an element.
        expect(await page.getByText('Jo <b>Browser</b>').count()).to.be.greaterThan(0);
        expect(await page.locator('main b').count()).to.equal(0);
        await expectAccessible(page, 'the case page of a waiting chat');

        await page.getByRole('button', { name: 'Claim this case' }).click();
        await page.getByText('You have claimed this case.').waitFor();
        expect(await channel.waitForText(conversation, 'has joined')).to.equal(
            'Chris from Customer Services has joined the chat.',
        );
        expect(await page.locator('#chat-status').textContent()).to.contain(
            'Live chat: the resident sees what you send here.',
        );
        const box = page.getByLabel('Message to the resident');
        await box.waitFor();
        // The claimed page's own stream (the waiting page had the first), so no line said from now on is missed.
        await waitUntil(() => streamsOpened >= 2, 'the claimed case page opens its event stream');
        await expectAccessible(page, 'the claimed case page with the chat form');

        // A marker on the window survives only if the page is not reloaded: agent.js sends with fetch.
        await page.evaluate(() => ((globalThis as Marked).__marker = 'still here'));
        const typed = 'Hello Jo, how can I help? <img src=x onerror=alert(1)>';
        await box.fill(typed);
        await page.getByRole('button', { name: 'Send' }).click();

        await channel.waitForText(conversation, 'Hello Jo, how can I help?');
        const delivered = channel.sent.filter(
            (a) => a.conversation?.id === conversation && a.text?.includes('Hello Jo'),
        );
        // The resident reads who wrote it; the agent's own page shows what they typed.
        expect(delivered.map((a) => [a.text, a.textFormat])).to.deep.equal([
            [`Chris, Customer Services adviser: ${typed}`, 'plain'],
        ]);
        await chatLine(page, typed);
        await waitUntil(async () => (await box.inputValue()) === '', 'the message box is cleared after sending');
        expect(await page.locator('#chat-log img').count(), 'the message is text, not markup').to.equal(0);
        expect(await page.evaluate(() => (globalThis as Marked).__marker)).to.equal('still here');

        await channel.say(server.url, conversation, 'My bin was not collected on Friday');
        await chatLine(page, 'My bin was not collected on Friday');
        expect(await page.evaluate(() => (globalThis as Marked).__marker)).to.equal('still here');
        // Each line once, in the order said.
        const lines = await page.locator('#chat-log li .typed').allTextContents();
        expect(lines.filter((l) => l === typed || l.startsWith('My bin'))).to.deep.equal([
            typed,
            'My bin was not collected on Friday',
        ]);
        // A risk to life in the chat: the resident gets the signposting, the agent an alert at once.
        expect(await page.locator('#safety-alert').isHidden()).to.equal(true);
        await channel.say(server.url, conversation, 'I want to end my life');
        await page.locator('#safety-alert').waitFor({ state: 'visible' });
        expect(await page.locator('#safety-alert').textContent()).to.contain('Urgent');
        await chatLine(page, 'I want to end my life');
        // The lines added live read exactly as the server renders them after a reload (who, time and text).
        const live = await page.locator('#chat-log li').allInnerTexts();
        await page.reload();
        expect(await page.locator('#chat-log li').allInnerTexts()).to.deep.equal(live);
        await expectAccessible(page, 'the claimed case page with chat lines');
        fs.mkdirSync(path.join(projectRoot, 'test-output'), { recursive: true });
        await page.screenshot({ path: path.join(projectRoot, 'test-output', 'agent-live-chat.png'), fullPage: true });

        await page.getByLabel('Resolved').check();
        await page.getByRole('button', { name: 'Close the case' }).click();
        await page.getByText(`Case ${reference} is closed.`).waitFor();
        expect(await channel.waitForText(conversation, 'has ended the chat')).to.contain(reference);
        expect(await page.getByRole('link', { name: reference }).count()).to.equal(0);
        await expectAccessible(page, 'the queue after closing the chat');

        expect(blocked, 'no content security policy violations or page errors').to.deep.equal([]);
        await context.close();
    });

    it('still chats without JavaScript: the forms post and the page reloads', async () => {
        const conversation = 'browser-chat-2';
        const reference = await residentWaitsInChat(channel, server.url, conversation, 'Sam NoScript');
        const context = await browser.newContext({ javaScriptEnabled: false });
        const page = await context.newPage();
        await page.goto(`${server.url}/agent`);
        await signIn(page);
        await page.getByRole('link', { name: reference }).click();
        await page.getByRole('button', { name: 'Claim this case' }).click();
        await channel.waitForText(conversation, 'has joined the chat');

        await page.getByLabel('Message to the resident').fill('Hello Sam, <i>plain</i> text');
        await page.getByRole('button', { name: 'Send' }).click();
        await page.waitForURL(new RegExp(`/agent/cases/${reference}#chat$`));
        await channel.waitForText(conversation, 'Hello Sam');
        await chatLine(page, 'Hello Sam, <i>plain</i> text');
        expect(await page.locator('#chat-log i').count()).to.equal(0);

        await channel.say(server.url, conversation, 'Thanks, my council tax bill is wrong');
        await page.reload();
        await chatLine(page, 'Thanks, my council tax bill is wrong');

        await page.getByLabel('Resolved').check();
        await page.getByRole('button', { name: 'Close the case' }).click();
        await page.getByText(`Case ${reference} is closed.`).waitFor();
        expect(await channel.waitForText(conversation, 'has ended the chat')).to.contain(reference);
        await context.close();
    });
});
