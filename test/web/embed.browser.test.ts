import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../bot/config';
import { startPartnerSample } from '../../scripts/partnerSample';
import { collectPageProblems, expectAccessible, hasFocus, launchChromium } from '../helpers/browser';
import { startTestServer } from '../helpers/server';
import { KnowledgeCopy } from '../knowledge/knowledgeFixture';

const screenshot = async (page: Page, name: string) => {
    fs.mkdirSync(path.join(projectRoot, 'test-output'), { recursive: true });
    await page.screenshot({ path: path.join(projectRoot, 'test-output', name), fullPage: true });
};

describe('the one-line embed on a partner site, in a browser', function () {
    this.timeout(90_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let partner: Server;
    let partnerPort: number;
    let knowledge: KnowledgeCopy;
    let browser: Browser;

    before(async () => {
        // The sample partner page on a free port; the sample knowledge allows that origin for riverside-housing.
        partner = await startPartnerSample(0, 'http://127.0.0.1:0');
        partnerPort = (partner.address() as AddressInfo).port;
        partner.close();
        knowledge = new KnowledgeCopy();
        knowledge.write(
            'sites.yaml',
            knowledge.read('sites.yaml').replace('http://localhost:8090', `http://localhost:${partnerPort}`),
        );
        server = await startTestServer({ KNOWLEDGE_DIR: knowledge.dir });
        partner = await startPartnerSample(partnerPort, server.url);
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        await server?.close();
        partner?.close();
        knowledge?.dispose();
    });

    it('opens from the launcher by keyboard alone, chats, and closes back to the launcher', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        const problems = collectPageProblems(page);
        await page.goto(`http://localhost:${partnerPort}/`);
        const launcher = page.getByRole('button', { name: 'Ask Anytown Council' });
        await launcher.waitFor();
        await expectAccessible(page, 'the partner page with the launcher');
        // Keyboard only: Tab to the launcher (after the page's two links), Enter to open.
        for (let i = 0; i < 3 && !(await hasFocus(launcher)); i++) {
            await page.keyboard.press('Tab');
        }
        expect(await hasFocus(launcher)).to.equal(true);
        await page.keyboard.press('Enter');
        expect(await launcher.getAttribute('aria-expanded')).to.equal('true');
        const chat = page.frameLocator('iframe[title="Anytown Assistant"]');
        await chat.locator('.webchat__bubble').filter({ hasText: 'Riverside' }).first().waitFor({ timeout: 15_000 });
        // The site's featured services are the first buttons.
        await chat.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button').first().waitFor();
        const box = chat.getByRole('textbox').first();
        await box.focus();
        await page.keyboard.type('how do i pay my council tax');
        await page.keyboard.press('Enter');
        await chat.locator('.webchat__bubble').filter({ hasText: 'Council Tax' }).first().waitFor({ timeout: 15_000 });
        await screenshot(page, 'partner-embed.png');
        const frame = page.frames().find((f) => f.url().startsWith(`${server.url}/embed/chat`));
        expect(frame, 'the chat is in an iframe from the assistant').to.not.equal(undefined);
        // Down, then up once the chat is gone, as a real key does: the chat closes on keydown, and Chromium never
        // acknowledges a keyup sent to a frame that was removed meanwhile, so press() could wait for ever.
        await page.keyboard.down('Escape');
        await page.locator('iframe').waitFor({ state: 'detached' });
        await page.keyboard.up('Escape');
        expect(await hasFocus(launcher)).to.equal(true);
        expect(await launcher.getAttribute('aria-expanded')).to.equal('false');
        expect(problems).to.deep.equal([]);
        await context.close();
    });

    it('shows no chat on an origin the site does not allow, and refuses to be framed there', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        // The same page, from 127.0.0.1 rather than localhost: another origin.
        await page.goto(`http://127.0.0.1:${partnerPort}/`);
        await page.waitForLoadState('networkidle');
        expect(await page.getByRole('button', { name: 'Ask Anytown Council' }).count()).to.equal(0);
        await screenshot(page, 'partner-not-allowed.png');
        const config = await fetch(`${server.url}/embed/config?site=riverside-housing`, {
            headers: { origin: `http://127.0.0.1:${partnerPort}` },
        });
        expect(config.status).to.equal(403);
        const framed = await fetch(`${server.url}/embed/chat?site=riverside-housing`);
        expect(framed.headers.get('content-security-policy')).to.contain(
            `frame-ancestors https://www.riversidehousing.example https://myhome.riversidehousing.example http://localhost:${partnerPort}`,
        );
        const token = await fetch(
            `${server.url}/api/directline/token?site=riverside-housing&parent=${encodeURIComponent(`http://127.0.0.1:${partnerPort}`)}`,
            { method: 'POST' },
        );
        expect(token.status).to.equal(403);
        await context.close();
    });

    it('keeps the launcher script small (it is on every page of the partner): measured, within a 4 KB gzipped budget', async () => {
        const raw = await fetch(`${server.url}/embed.js`, { headers: { 'accept-encoding': 'identity' } });
        const body = Buffer.from(await raw.arrayBuffer());
        const zipped = await fetch(`${server.url}/embed.js`, { headers: { 'accept-encoding': 'gzip' } });
        expect(zipped.headers.get('content-encoding')).to.equal('gzip');
        // What the service sends gzipped (fetch hands back the body already decompressed).
        const gzipped = gzipSync(body, { level: 9 }).length;
        expect(gzipped).to.be.greaterThan(0);
        fs.mkdirSync(path.join(projectRoot, 'test-output'), { recursive: true });
        fs.writeFileSync(
            path.join(projectRoot, 'test-output', 'embed-size.json'),
            JSON.stringify({ bytes: body.length, gzippedBytes: gzipped }, null, 2),
        );
        console.log(`      launcher script: ${body.length} bytes, ${gzipped} gzipped`);
        expect(gzipped).to.be.below(4096);
    });

    it('has no accessibility violations with the chat open, inside the iframe included', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`http://localhost:${partnerPort}/`);
        await page.getByRole('button', { name: 'Ask Anytown Council' }).click();
        const chat = page.frameLocator('iframe[title="Anytown Assistant"]');
        await chat.locator('.webchat__bubble').filter({ hasText: 'Riverside' }).first().waitFor({ timeout: 15_000 });
        // axe-core checks the iframe's document too.
        await expectAccessible(page, 'the partner page with the chat open');
        await context.close();
    });
});
