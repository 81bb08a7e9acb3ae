import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import { projectRoot } from '../../bot/config';
import { collectPageProblems, expectAccessible, hasFocus, launchChromium } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

const outputDir = path.join(projectRoot, 'test-output');

const screenshot = async (page: Page, name: string) => {
    fs.mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: path.join(outputDir, name), fullPage: true });
};

/** Waits for a message from the assistant containing `fragment`. */
async function botSays(page: Page, fragment: string): Promise<void> {
    await page
        .locator('.webchat__bubble:not(.webchat__bubble--from-user)')
        .filter({ hasText: fragment })
        .first()
        .waitFor({ timeout: 15_000 });
}

/** True when nothing covers the element's centre (WCAG 2.4.11, focus not obscured). */
async function unobscured(locator: Locator): Promise<boolean> {
    return locator.evaluate((element) => {
        const node = element as unknown as {
            getBoundingClientRect(): { x: number; y: number; width: number; height: number };
            ownerDocument: { elementFromPoint(x: number, y: number): unknown };
            contains(other: unknown): boolean;
        };
        const box = node.getBoundingClientRect();
        const top = node.ownerDocument.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return top === element || node.contains(top);
    });
}

describe('the chat page in a browser', function () {
    this.timeout(90_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let browser: Browser;

    before(async () => {
        server = await startTestServer();
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await server?.close();
    });

    it('answers "when is my bin day" with its link, takes a suggested action, and keeps the chat after a reload', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        const problems = collectPageProblems(page);
        // First-load weight: every response until the welcome shows, as transferred (gzipped where accepted).
        const transferred: { url: string; bytes: number }[] = [];
        page.on('requestfinished', (request) => {
            void request.sizes().then((sizes) =>
                transferred.push({
                    url: request.url().replace(server.url, ''),
                    bytes: sizes.responseBodySize + sizes.responseHeadersSize,
                }),
            );
        });
        await page.goto(`${server.url}/`);
        await botSays(page, 'Anytown');
        await expectAccessible(page, 'the chat page with the welcome');
        const weight = transferred.reduce((sum, r) => sum + r.bytes, 0);
        fs.mkdirSync(outputDir, { recursive: true });
        fs.writeFileSync(
            path.join(outputDir, 'chat-page-weight.json'),
            JSON.stringify({ weight, transferred }, null, 2),
        );
        console.log(`      first load of the chat page: ${(weight / 1024).toFixed(0)} KiB transferred`);

        const box = page.getByRole('textbox').first();
        await box.fill('when is my bin day');
        await box.press('Enter');
        await botSays(page, 'bin collection day');
        const link = page.getByRole('link', { name: 'Check your collection day' });
        expect(await link.getAttribute('href')).to.equal('https://www.anytown.gov.uk/bins/collection-day');
        await page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name: 'Yes' }).click();
        await botSays(page, 'glad that helped');
        await expectAccessible(page, 'the chat page with an answer');
        await screenshot(page, 'chat-page.png');

        await page.reload();
        await botSays(page, 'bin collection day');
        await botSays(page, 'glad that helped');
        expect(problems, 'no content security policy violations or page errors').to.deep.equal([]);
        await context.close();
    });

    it('works by keyboard alone, announces replies, keeps focus in view, and respects reduced motion', async () => {
        const context = await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 320, height: 480 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/`);
        await botSays(page, 'Anytown');
        // Skip link first, then into the chat and its send box.
        await page.keyboard.press('Tab');
        expect(await hasFocus(page.getByRole('link', { name: 'Skip to the chat' }))).to.equal(true);
        const box = page.getByRole('textbox').first();
        for (let i = 0; i < 30 && !(await hasFocus(box)); i++) await page.keyboard.press('Tab');
        expect(await hasFocus(box), 'the send box is reachable with Tab').to.equal(true);
        expect(await unobscured(box), 'the focused send box is not hidden').to.equal(true);
        await page.keyboard.type('how do i pay council tax');
        await page.keyboard.press('Enter');
        await botSays(page, 'Council Tax');
        // Web Chat's live region announces the reply to screen readers.
        const announced = page.locator('[aria-live]').filter({ hasText: 'Council Tax' });
        await announced.first().waitFor({ state: 'attached', timeout: 10_000 });
        const duration = await page
            .locator('.webchat__suggested-action')
            .first()
            .evaluate(
                (el) =>
                    (
                        globalThis as unknown as { getComputedStyle(e: unknown): { transitionDuration: string } }
                    ).getComputedStyle(el).transitionDuration,
            );
        expect(duration).to.equal('0s');
        await expectAccessible(page, 'the chat page at 320 by 480 (400% zoom of 1280 by 1920)');
        await screenshot(page, 'chat-page-small.png');
        await context.close();
    });
});
