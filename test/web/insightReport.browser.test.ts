import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../bot/config';
import type { InsightEvent } from '../../bot/insight/insightEvent';
import { computeMeasures } from '../../bot/insight/measures';
import { SqliteInsightStore } from '../../bot/insight/sqliteInsightStore';
import { expectAccessible, launchChromium } from '../helpers/browser';
import { sampleEngine } from '../helpers/assistant';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

/** A month of made-up events: answers, feedback, not-known questions, handoffs, cases and their outcomes. */
function monthOfEvents(): InsightEvent[] {
    const services = ['bin-collection-day', 'missed-bin', 'council-tax-pay', 'business-rates', 'parking-permit'];
    const unknown = [
        'where can I moor my boat',
        'boat mooring on the river',
        'dog grooming prices',
        '<b>bold</b> words here',
    ];
    const events: InsightEvent[] = [];
    for (let i = 0; i < 120; i++) {
        const at = (minutes: number) =>
            new Date(
                Date.UTC(2026, 10, 1 + (i % 28), 7 + ((i * 5) % 14), (i * 7) % 60) + minutes * 60_000,
            ).toISOString();
        const base = { conversation: `c${i}`, channel: i % 3 ? 'directline' : 'msteams', language: 'en' } as const;
        const serviceId = services[i % services.length] as string;
        const customerType = serviceId === 'business-rates' ? 'business' : 'resident';
        if (i % 7 === 0) {
            events.push({ ...base, at: at(0), kind: 'turn', outcome: 'not-known', customerType, text: unknown[i % 4] });
            events.push({
                ...base,
                at: at(1),
                kind: 'turn',
                outcome: 'handoff',
                reason: 'not-known-again',
                customerType,
            });
            events.push({ ...base, at: at(3), kind: 'case', customerType });
            events.push({
                ...base,
                at: at(60),
                kind: 'caseClosed',
                caseOutcome: i % 2 ? 'resolved' : 'callback',
                customerType,
            });
            continue;
        }
        events.push({ ...base, at: at(0), kind: 'turn', outcome: 'answer', serviceId, score: 0.8, customerType });
        if (i % 2) events.push({ ...base, at: at(1), kind: 'feedback', serviceId, helpful: i % 5 !== 0, customerType });
    }
    return events;
}

describe('npm run report, and the report in a browser', function () {
    this.timeout(90_000);
    let dataDir: string;
    let browser: Browser;
    const events = monthOfEvents();

    before(async () => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
        const store = new SqliteInsightStore(path.join(dataDir, 'assistant.sqlite'));
        for (const event of events) await store.record(event);
        await store.close();
        browser = await launchChromium();
    });
    after(async () => {
        await browser?.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const report = (...args: string[]) =>
        spawnSync(tsx, ['scripts/report.ts', ...args], {
            cwd: projectRoot,
            encoding: 'utf8',
            env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
        });

    it('prints figures that agree with the events (JSON), and the same data as CSV', () => {
        const json = report('--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json');
        expect(json.status, json.stderr).to.equal(0);
        const printed = JSON.parse(json.stdout) as { measures: unknown; from: string; to: string };
        expect(printed).to.deep.include({ from: '2026-11-01', to: '2026-11-30' });
        expect(printed.measures).to.deep.equal(
            JSON.parse(JSON.stringify(computeMeasures(events, sampleEngine().knowledge.council))),
        );
        const csv = report('--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv');
        expect(csv.status, csv.stderr).to.equal(0);
        const lines = csv.stdout.trim().split('\n');
        expect(lines[0]).to.equal('measure,group,key,count,of,rate');
        expect(lines).to.include('conversations,all,all,120,,');
        // Only half the month: fewer conversations.
        const half = JSON.parse(report('--from', '2026-11-01', '--to', '2026-11-14', '--format', 'json').stdout) as {
            measures: { conversations: number };
        };
        expect(half.measures.conversations).to.be.below(120).and.above(0);
    });

    it('refuses bad arguments with exit code 2 and the usage', () => {
        for (const args of [
            ['--from', 'yesterday', '--to', '2026-11-30'],
            ['--from', '2026-11-30', '--to', '2026-11-01'],
            ['--format', 'pdf'],
        ]) {
            const run = report(...args);
            expect(run.status, args.join(' ')).to.equal(2);
            expect(run.stderr).to.contain('Usage: npm run report');
        }
    });

    it('writes a self-contained HTML report that has no accessibility violations, every chart with a data table', async () => {
        const file = path.join(dataDir, 'report.html');
        const run = report('--from', '2026-11-01', '--to', '2026-11-30', '--out', file);
        expect(run.status, run.stderr).to.equal(0);
        const html = fs.readFileSync(file, 'utf8');
        expect(html).not.to.match(/<script|https?:\/\/[^"]*\.(js|css)/);
        expect(html).to.contain('&lt;b&gt;bold&lt;/b&gt; words here');
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.setContent(html);
        const charts = await page
            .locator('svg[role="img"]')
            .evaluateAll((svgs) =>
                svgs.map((svg) =>
                    (svg as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-describedby'),
                ),
            );
        expect(charts.length).to.be.greaterThan(2);
        for (const id of charts) expect(await page.locator(`table#${id}`).count(), String(id)).to.equal(1);
        await expectAccessible(page, 'the insight report');
        fs.mkdirSync(path.join(projectRoot, 'test-output'), { recursive: true });
        await page.screenshot({ path: path.join(projectRoot, 'test-output', 'insight-report.png'), fullPage: true });
        await context.close();
    });
});
