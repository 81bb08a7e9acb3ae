import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { mondayMorning } from '../helpers/assistant';
import { collectPageProblems, expectAccessible, launchChromium } from '../helpers/browser';
import { residentWaitsInChat, startFakeChannel } from '../helpers/fakeChannel';
import { startTestServer } from '../helpers/server';
import { KnowledgeCopy } from '../knowledge/knowledgeFixture';

/** What a knowledge author slipped into the bin day answer: markup that would set `window.__xss` if it ran. */
const answerMarkup =
    'Beware <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script>, ' +
    '[click me](javascript:window.__xss=3) and <a href="javascript:window.__xss=4">this link</a>.';

/** What a resident types into the chat: markup, emoji, right-to-left text, a bidi override and a zero-width space. */
const typed =
    '<script>window.__xss=5</script><img src=y onerror="window.__xss=6"> [x](javascript:window.__xss=7) ' +
    '👩‍👩‍👧‍👦 🇬🇧 🏴󠁧󠁢󠁷󠁬󠁳󠁿 👍🏽 مرحبا שלום \u202eevil\u202c zero\u200bwidth';

/** A not-known question, a name and a live chat line for a case, with markup that would raise an alert if it ran. */
const caseWords =
    '<script>alert(8)</script> <img src=x onerror=alert(9)> <a href="javascript:alert(10)">x</a> ' +
    '👩‍👩‍👧‍👦 مرحبا \u202eevil\u202c zzqx flibble wobble';
const caseName = '<img src=x onerror=alert(11)><script>alert(12)</script>';
const liveLine = '<img src=x onerror=alert(13)> still here 👍🏽 <script>alert(14)</script>';

type Marked = typeof globalThis & { __xss?: unknown };

/** Watches a page for what hostile markup would do if it ran: a dialog, an `__xss` mark, a fetch of its image. */
function watchForScripts(page: Page) {
    const dialogs: string[] = [];
    const fetched: string[] = [];
    page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
    });
    page.on('request', (request) => {
        const { pathname } = new URL(request.url());
        if (pathname === '/x' || pathname === '/y') fetched.push(pathname);
    });
    return {
        /** Fails if any script from the markup ran or any element was made from it. */
        async expectNothingRan(scope: string): Promise<void> {
            expect(dialogs, 'no alert, confirm or prompt').to.deep.equal([]);
            expect(await page.evaluate(() => (globalThis as Marked).__xss), 'window.__xss').to.equal(undefined);
            expect(fetched, 'no image from the markup was fetched').to.deep.equal([]);
            expect(await page.locator(`${scope} script`).count(), 'no script element').to.equal(0);
            expect(await page.locator('img[src="x"], img[src="y"]').count(), 'no image element').to.equal(0);
            const scriptLinks = page.locator(
                '[href^="javascript:" i], [value^="javascript:" i], [src^="javascript:" i]',
            );
            expect(await scriptLinks.count(), 'no javascript: link or button').to.equal(0);
        },
    };
}

/** Waits for a chat bubble (the resident's or the assistant's) containing `fragment`. */
async function bubble(page: Page, fragment: string, fromUser: boolean): Promise<string> {
    const who = fromUser ? '.webchat__bubble--from-user' : '.webchat__bubble:not(.webchat__bubble--from-user)';
    const found = page.locator(who).filter({ hasText: fragment }).first();
    await found.waitFor({ timeout: 15_000 });
    return (await found.textContent()) ?? '';
}

describe('hostile input in a browser', function () {
    this.timeout(90_000);
    let copy: KnowledgeCopy;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let channel: Awaited<ReturnType<typeof startFakeChannel>>;
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let browser: Browser;

    before(async () => {
        copy = new KnowledgeCopy();
        copy.replace(
            'services/waste.yaml',
            'Put your postcode into our bin day checker',
            `${answerMarkup} Put your postcode into our bin day checker`,
            'bin-collection-day',
        );
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
            { username: 'boss', name: 'Morgan Manager', role: 'manager' },
        ]);
        channel = await startFakeChannel();
        // Monday morning: live chat is open, so the case page streams its lines through agent.js.
        server = await startTestServer(
            {
                KNOWLEDGE_DIR: copy.dir,
                KNOWLEDGE_WATCH: 'false',
                AGENTS_FILE: agents.file,
                SESSION_SECRET: testSessionSecret,
                ALLOWED_SERVICE_URLS: channel.url,
            },
            { now: () => mondayMorning, liveChatSweepMs: 60 * 60 * 1000 },
        );
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        await channel?.close();
        agents?.dispose();
        copy?.dispose();
    });

    it("shows markup in a resident's message and in a knowledge answer as text, runs none of it, and stays accessible", async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        const problems = collectPageProblems(page);
        const watch = watchForScripts(page);
        await page.goto(`${server.url}/`);
        await bubble(page, 'Anytown', false);

        const box = page.getByRole('textbox').first();
        await box.fill(typed);
        await box.press('Enter');
        // The resident's message is shown exactly as typed, every character kept.
        expect(await bubble(page, '<script>window.__xss=5</script>', true)).to.contain(typed);

        await box.fill('when is my bin day');
        await box.press('Enter');
        const answer = await bubble(page, 'Beware', false);
        // Markdown still works around it (the title is bold); the markup itself reads as text, its quotes curled.
        expect(
            await page.locator('.webchat__bubble strong').filter({ hasText: 'Find your bin collection day' }).count(),
        ).to.be.greaterThan(0);
        expect(answer).to.match(/Beware <img src=x onerror=.window\.__xss=1.> and <script>window\.__xss=2<\/script>/);
        expect(answer).to.contain('[click me](javascript:window.__xss=3)');
        expect(answer).to.match(/<a href=.javascript:window\.__xss=4.>this link<\/a>/);
        await bubble(page, 'Did this answer your question?', false);

        await watch.expectNothingRan('.webchat__basic-transcript');
        // The only images in the transcript are Web Chat's own (the external-link icon, inline).
        const sources = await page
            .locator('.webchat__basic-transcript img')
            .evaluateAll((images) =>
                images.map(
                    (image) =>
                        (image as unknown as { getAttribute(name: string): string | null }).getAttribute('src') ?? '',
                ),
            );
        expect(sources.filter((src) => !src.startsWith('data:'))).to.deep.equal([]);
        expect(problems, 'no content security policy refusals or page errors').to.deep.equal([]);
        await expectAccessible(page, 'the chat page showing markup as text');
        await context.close();
    });

    it('shows a hostile case in the agent console as text, live chat lines included, and runs none of it', async () => {
        const conversation = 'hostile-console';
        await channel.say(server.url, conversation, caseWords);
        await channel.waitForText(conversation, "I don't know");
        const reference = await residentWaitsInChat(channel, server.url, conversation, caseName);

        const context = await browser.newContext();
        const page = await context.newPage();
        const problems = collectPageProblems(page);
        const watch = watchForScripts(page);
        let streamsOpened = 0;
        page.on('response', (response) => {
            if (new URL(response.url()).pathname === `/agent/cases/${reference}/events`) streamsOpened += 1;
        });
        await page.goto(`${server.url}/agent`);
        await page.getByLabel('Username').fill('cs.one');
        await page.getByLabel('Password').fill(agentPassword);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('link', { name: reference }).click();
        await page.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();

        expect(await page.locator('main').getByText(caseName, { exact: true }).count()).to.be.greaterThan(0);
        expect(await page.locator('main p.typed').first().textContent()).to.equal(caseWords);
        expect(await page.locator('main img, main a[href^="javascript:" i]').count()).to.equal(0);

        // Claimed, the page's own stream brings new lines, which agent.js adds as text.
        await page.getByRole('button', { name: 'Claim this case' }).click();
        await page.getByText('You have claimed this case.').waitFor();
        const deadline = Date.now() + 10_000;
        while (streamsOpened < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(streamsOpened, 'the claimed page opens its event stream').to.be.at.least(2);
        await channel.say(server.url, conversation, liveLine);
        const line = page.locator('#chat-log li p.typed').filter({ hasText: 'still here' });
        await line.waitFor({ timeout: 10_000 });
        expect(await line.textContent()).to.equal(liveLine);

        await watch.expectNothingRan('main');
        expect(problems, 'no content security policy refusals or page errors').to.deep.equal([]);
        await expectAccessible(page, 'the case page of a hostile case');
        await context.close();
    });

    it('shows a hostile unanswered question on the insight dashboard as text, and runs none of it', async () => {
        await channel.say(server.url, 'hostile-insight', caseWords);
        const context = await browser.newContext();
        const page = await context.newPage();
        const problems = collectPageProblems(page);
        const watch = watchForScripts(page);
        await page.goto(`${server.url}/agent`);
        await page.getByLabel('Username').fill('boss');
        await page.getByLabel('Password').fill(agentPassword);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { level: 1, name: /Queue/ }).waitFor();
        await page.goto(`${server.url}/agent/insight`);
        const row = page.locator('#unanswered-table th[scope="row"]').filter({ hasText: '<script>alert(8)</script>' });
        expect(await row.first().textContent()).to.equal(caseWords);
        await watch.expectNothingRan('main');
        expect(problems, 'no content security policy refusals or page errors').to.deep.equal([]);
        await expectAccessible(page, 'the insight dashboard with a hostile question');
        await context.close();
    });
});
