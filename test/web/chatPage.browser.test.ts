import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../bot/config';
import { collectPageProblems, expectAccessible, launchChromium } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

const screenshot = async (page: Page, name: string) => {
    fs.mkdirSync(path.join(projectRoot, 'test-output'), { recursive: true });
    await page.screenshot({ path: path.join(projectRoot, 'test-output', name), fullPage: true });
};

/** The text of the transcript's last bot message containing `fragment`, waiting for it. */
async function botSays(page: Page, fragment: string): Promise<void> {
    await page
        .locator('.webchat__bubble:not(.webchat__bubble--from-user)')
        .filter({ hasText: fragment })
        .first()
        .waitFor({ timeout: 15_000 });
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
        await page.goto(`${server.url}/`);
        await botSays(page, 'Anytown');
        await expectAccessible(page, 'the chat page with the welcome');

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
});
