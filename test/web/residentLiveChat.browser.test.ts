import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../bot/config';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { mondayMorning } from '../helpers/assistant';
import { collectPageProblems, launchChromium } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

/**
 * Web Chat holds back a line that replies to an activity it has not seen for about 5 s: well above this bound, which
 * is only how long a line may take to show before the test fails, never a performance figure.
 */
const showsWithin = 2_500;

/** The rendered bubble from the assistant (or an agent through it) containing `text`. */
const bubble = (page: Page, text: string) =>
    page.locator('.webchat__bubble:not(.webchat__bubble--from-user)').filter({ hasText: text }).first();

/** Types into Web Chat's send box and waits for a reply containing `reply`. */
async function say(page: Page, text: string, reply: string): Promise<void> {
    const box = page.getByRole('textbox').first();
    await box.fill(text);
    await box.press('Enter');
    await bubble(page, reply).waitFor({ timeout: 15_000 });
}

/** How long after `act` starts a line containing `text` shows in the resident's page, in milliseconds. */
async function shownAfter(page: Page, text: string, act: () => Promise<unknown>): Promise<number> {
    const started = Date.now();
    await act();
    await bubble(page, text).waitFor({ timeout: showsWithin });
    return Date.now() - started;
}

describe("live chat as the resident sees it, in the chat page's Web Chat", function () {
    this.timeout(90_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let browser: Browser;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        server = await startTestServer(
            { AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret },
            { now: () => mondayMorning, liveChatSweepMs: 60 * 60 * 1000 },
        );
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        agents?.dispose();
    });

    it("shows the agent joining, each agent line and the chat's end at once, not after Web Chat's wait", async () => {
        const residentContext = await browser.newContext();
        const resident = await residentContext.newPage();
        const problems = collectPageProblems(resident);
        await resident.goto(`${server.url}/`);
        await bubble(resident, 'Anytown').waitFor({ timeout: 15_000 });
        await say(resident, 'can i speak to someone', 'name');
        await say(resident, 'Alex Resident', 'How would you like');
        await say(resident, 'Carry on in this chat', 'If no adviser can join within');
        await say(resident, 'Email', 'email');
        await say(resident, 'alex@example.com', 'share');
        await say(resident, 'Yes, share them', 'In this chat');
        await say(resident, 'Yes, send it', 'Your reference is');
        const confirmation = await bubble(resident, 'Your reference is').textContent();
        const reference = /ATB-[0-9A-Z]{5}/.exec(confirmation ?? '')?.[0] as string;
        expect(reference, 'the confirmation gives a reference').to.be.a('string');

        const agentContext = await browser.newContext();
        const agent = await agentContext.newPage();
        await agent.goto(`${server.url}/agent`);
        await agent.getByLabel('Username').fill('cs.one');
        await agent.getByLabel('Password').fill(agentPassword);
        await agent.getByRole('button', { name: 'Sign in' }).click();
        await agent.getByRole('link', { name: reference }).click();

        const delays: Record<string, number> = {};
        delays.joined = await shownAfter(resident, 'has joined', () =>
            agent.getByRole('button', { name: 'Claim this case' }).click(),
        );
        const box = agent.getByLabel('Message to the resident');
        await box.waitFor();
        for (const [name, line] of [
            ['first line', 'Hello Alex, I am looking at your case now.'],
            ['second line', 'Can you tell me which street it is?'],
        ] as const) {
            await box.fill(line);
            delays[name] = await shownAfter(resident, line, () => agent.getByRole('button', { name: 'Send' }).click());
        }
        await agent.getByLabel('Resolved').check();
        delays.ended = await shownAfter(resident, 'has ended the chat', () =>
            agent.getByRole('button', { name: 'Close the case' }).click(),
        );
        // Each agent line says who wrote it, so the resident tells the adviser from the assistant.
        expect(await bubble(resident, 'Hello Alex').textContent()).to.contain(
            'Chris, Customer Services adviser: Hello Alex',
        );
        console.log(
            `      shown in the resident's page after: ${Object.entries(delays)
                .map(([what, ms]) => `${what} ${ms} ms`)
                .join(', ')}`,
        );
        fs.mkdirSync(path.join(projectRoot, 'test-output'), { recursive: true });
        await resident.screenshot({ path: path.join(projectRoot, 'test-output', 'resident-live-chat.png') });
        expect(problems, 'no content security policy violations or page errors').to.deep.equal([]);
        await agentContext.close();
        await residentContext.close();
    });
});
