import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'chai';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// Debian's Chromium, not a downloaded one: .ci/run installs it. A missing browser fails the suite, never skips it.
const chromiumPath = '/usr/bin/chromium';
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Starts headless Chromium with the flags this machine needs. */
export async function launchChromium(): Promise<Browser> {
    expect(fs.existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium`).to.equal(true);
    return chromium.launch({
        executablePath: chromiumPath,
        args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
        ],
    });
}

/** Fails with every WCAG 2.2 AA violation axe-core finds on the page, each with where it is. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
    const described = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
    expect(described, `${what} has no WCAG 2.2 AA violations`).to.deep.equal([]);
}

/**
 * Collects what must never happen on a console page: a Content Security Policy refusal or a script error.
 * (A failed sign-in's 401 and the favicon's 404 are expected and not collected.)
 */
export function collectPageProblems(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (message) => {
        if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return problems;
}

/** True when the element has the keyboard focus (in its own document). */
export async function hasFocus(locator: Locator): Promise<boolean> {
    return locator.evaluate((element) => {
        const node = element as unknown as { ownerDocument: { activeElement: unknown } };
        return node.ownerDocument.activeElement === element;
    });
}
