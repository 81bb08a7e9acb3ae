import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { RateLimiter } from '../../bot/rateLimit/rateLimiter';
import { startInstance, type Instance } from '../helpers/instances';
import { messageActivity } from '../helpers/server';

const rssBytes = (pid: number) => {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) * 1024;
};
const folderBytes = (dir: string) =>
    fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);

const post = (url: string, body: unknown) =>
    fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
    });

describe('identifiers the bot stores or keys on are bounded', function () {
    this.timeout(120_000);
    let instance: Instance;
    let dataDir: string;
    before(async () => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-ids-'));
        instance = await startInstance('ids', { DATA_DIR: dataDir, KNOWLEDGE_WATCH: 'false' });
    });
    after(async () => {
        await instance?.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses 250 requests with 200 KB conversation ids with 400, using neither memory nor disk', async () => {
        // Warm up (the first turns load what every turn needs), then measure.
        for (let i = 0; i < 5; i++)
            expect((await post(instance.url, messageActivity('hello', `warm-${i}`))).status).to.equal(200);
        const rssBefore = rssBytes(instance.pid);
        const diskBefore = folderBytes(dataDir);
        const huge = (i: number) => `${i}-${'x'.repeat(200 * 1024)}`;
        for (let start = 0; start < 250; start += 10) {
            const batch = await Promise.all(
                Array.from({ length: 10 }, (_, j) => post(instance.url, messageActivity('hello', huge(start + j)))),
            );
            for (const response of batch) {
                expect(response.status).to.equal(400);
                expect(((await response.json()) as { message: string }).message).to.match(/^conversation\.id: /);
            }
        }
        const rssGrowth = rssBytes(instance.pid) - rssBefore;
        const diskGrowth = folderBytes(dataDir) - diskBefore;
        // Before ids were bounded: RSS +198 MB (every key kept by the limiter) and +100 MB of state rows.
        expect(rssGrowth, `RSS grew ${(rssGrowth / 1e6).toFixed(1)} MB`).to.be.below(60e6);
        expect(diskGrowth, `the data folder grew ${diskGrowth} bytes`).to.be.below(1e6);
    });

    it('takes ids up to the bound and names the field beyond it', async () => {
        expect((await post(instance.url, messageActivity('hello', 'c'.repeat(512)))).status).to.equal(200);
        const cases: [string, Record<string, unknown>][] = [
            ['conversation.id', { conversation: { id: 'c'.repeat(513) } }],
            ['from.id', { from: { id: 'u'.repeat(257) } }],
            ['recipient.id', { recipient: { id: 'b'.repeat(257) } }],
            ['id', { id: 'a'.repeat(257) }],
            ['replyToId', { replyToId: 'r'.repeat(257) }],
            ['channelId', { channelId: 'x'.repeat(65) }],
        ];
        for (const [field, change] of cases) {
            const response = await post(instance.url, { ...messageActivity('hello', 'bounded'), ...change });
            expect(response.status, field).to.equal(400);
            const { message } = (await response.json()) as { message: string };
            expect(message.startsWith(`${field}: `), message).to.equal(true);
        }
    });
});

describe('RateLimiter keys', () => {
    it('holds a long key as a digest, so its cost does not depend on what a client sent', () => {
        const limiter = new RateLimiter(1, () => 0, 10);
        const long = 'k'.repeat(100_000);
        expect(limiter.take(long).ok).to.equal(true);
        expect(limiter.take(long).ok, 'the same long key is the same bucket').to.equal(false);
        expect(limiter.take(`${long}x`).ok, 'another long key is another bucket').to.equal(true);
        for (let i = 0; i < 100; i++) limiter.take(`${i}${long}`);
        expect(limiter.size).to.equal(10);
    });
});
