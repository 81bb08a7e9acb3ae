import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Case } from '../../../bot/handoff/case';
import type { CaseTransport } from '../../../bot/handoff/caseTransport';
import type { DeliveryTarget } from '../../../bot/handoff/deliveryTargets';
import { DeliveryWorker, retryDelayMs, type DeliveryWorkerOptions } from '../../../bot/handoff/deliveryWorker';
import { WebhookTransport } from '../../../bot/handoff/webhookTransport';
import { SqliteCaseStore } from '../../../bot/stores/sqliteCaseStore';
import { SqliteOutbox } from '../../../bot/stores/sqliteOutbox';
import { capturedLogger } from '../../helpers/capturedLogger';
import { fakeClock } from '../../helpers/fakeClock';
import { startWebhookReceiver } from '../../helpers/webhookReceiver';
import { sampleCase } from '../stores/caseStore.contract';

const secret = 'a-shared-secret-of-some-length';
const second = 1000;
const hour = 60 * 60 * second;

/** A transport that records what it sent, failing while `failing` is set. */
class RecordingTransport implements CaseTransport {
    readonly longestAttemptMs = 1000;
    readonly sent: string[] = [];
    failing = false;
    async deliver(c: Case): Promise<void> {
        // Yield, so deliveries of two workers interleave as they would over a network.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        this.sent.push(c.reference);
    }
}

describe('DeliveryWorker', () => {
    let dir: string;
    let file: string;
    let clock: ReturnType<typeof fakeClock>;
    let cases: SqliteCaseStore;
    let outbox: SqliteOutbox;
    const opened: { close(): Promise<void> }[] = [];

    /** Opens the case store and outbox on the test's file, as a (re)started process does. */
    function open() {
        cases = new SqliteCaseStore(file, { now: clock.now });
        outbox = new SqliteOutbox(file, { now: clock.now });
        opened.push(cases, outbox);
    }

    function worker(options: Partial<DeliveryWorkerOptions> & { url?: string } = {}) {
        const target: DeliveryTarget = {
            team: 'waste',
            teamName: 'Waste and Recycling',
            webhook: { url: options.url ?? 'http://127.0.0.1:9/unused', secret },
        };
        const logged = capturedLogger();
        const w = new DeliveryWorker({
            outbox,
            cases,
            targets: (team) => (team === 'waste' ? target : undefined),
            transports: { webhook: new WebhookTransport() },
            now: clock.now,
            random: () => 0.5,
            ...options,
            log: logged.log,
        });
        return { worker: w, ...logged };
    }

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-worker-'));
        file = path.join(dir, 'assistant.sqlite');
        clock = fakeClock();
        open();
    });
    afterEach(async () => {
        for (const store of opened.splice(0)) await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('waits 30 s × 2^(attempt − 1), capped at an hour, jittered to between half and all of it', () => {
        const full = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => retryDelayMs(attempt, 30 * second, hour, 1));
        expect(full).to.deep.equal([30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map((s) => s * second));
        expect(retryDelayMs(1, 30 * second, hour, 0)).to.equal(15 * second);
        expect(retryDelayMs(9, 30 * second, hour, 0)).to.equal(hour / 2);
    });

    it('delivers a case exactly once to a webhook that fails the first two attempts, retrying with backoff', async () => {
        const receiver = await startWebhookReceiver(secret, { failFirst: 2 });
        try {
            const created = await cases.create(sampleCase(), 'ATB', ['webhook']);
            const { worker: w, events, lines } = worker({ url: receiver.url });

            expect(await w.runOnce()).to.deep.equal({ delivered: 0, retried: 1, dead: 0 });
            const [item] = await outbox.forCase(created.reference);
            // Attempt 1 failed: 30 s, jittered by random() = 0.5 to three quarters of it.
            expect(Date.parse(item?.nextAttemptAt ?? '') - clock.now().getTime()).to.equal(22.5 * second);
            expect(item?.lastError).to.equal('DeliveryError: webhook answered HTTP 500');
            expect(await w.runOnce(), 'not due yet').to.deep.equal({ delivered: 0, retried: 0, dead: 0 });

            clock.advance(22.5 * second);
            expect(await w.runOnce()).to.deep.equal({ delivered: 0, retried: 1, dead: 0 });
            clock.advance(45 * second);
            expect(await w.runOnce()).to.deep.equal({ delivered: 1, retried: 0, dead: 0 });
            clock.advance(hour);
            expect(await w.runOnce()).to.deep.equal({ delivered: 0, retried: 0, dead: 0 });

            expect(receiver.requests.map((r) => r.status)).to.deep.equal([500, 500, 200]);
            expect(receiver.requests.every((r) => r.signatureValid && r.idempotencyKey === created.reference)).to.equal(
                true,
            );
            expect(receiver.requests[0]?.contentType).to.equal('application/json');
            expect([...receiver.accepted.keys()]).to.deep.equal([created.reference]);
            expect(receiver.accepted.get(created.reference)).to.deep.include({
                reference: created.reference,
                createdAt: created.createdAt,
                team: 'waste',
                serviceId: 'missed-bin',
                residentWords: created.residentWords,
                priority: 'normal',
            });
            expect(await outbox.get(item?.id ?? 0)).to.deep.include({ status: 'delivered', attempts: 3 });

            expect(events('delivery.retry').map((e) => e.attempt)).to.deep.equal([1, 2]);
            expect(events('delivery.sent')).to.have.length(1);
            expect(events('delivery.sent')[0]).to.deep.include({
                reference: created.reference,
                transport: 'webhook',
                attempt: 3,
            });
            expect(lines.join('\n')).to.not.match(/Sam Resident|07700|example\.com|High Street|bin was not emptied/);
        } finally {
            await receiver.close();
        }
    });

    it('sends again with the same idempotency key when the answer is lost, and the receiver keeps one', async () => {
        const receiver = await startWebhookReceiver(secret, { dropFirstAnswer: true });
        try {
            const created = await cases.create(sampleCase(), 'ATB', ['webhook']);
            const { worker: w } = worker({ url: receiver.url });
            expect((await w.runOnce()).retried).to.equal(1);
            clock.advance(hour);
            expect((await w.runOnce()).delivered).to.equal(1);
            expect(receiver.requests.map((r) => [r.status, r.idempotencyKey])).to.deep.equal([
                ['dropped', created.reference],
                [200, created.reference],
            ]);
            expect(receiver.accepted.size).to.equal(1);
        } finally {
            await receiver.close();
        }
    });

    it('retries when the receiver refuses the signature (a secret that does not match)', async () => {
        const receiver = await startWebhookReceiver('the-receivers-other-secret');
        try {
            const created = await cases.create(sampleCase(), 'ATB', ['webhook']);
            const { worker: w } = worker({ url: receiver.url });
            expect((await w.runOnce()).retried).to.equal(1);
            expect((await outbox.forCase(created.reference))[0]?.lastError).to.equal(
                'DeliveryError: webhook answered HTTP 401',
            );
            expect(receiver.accepted.size).to.equal(0);
        } finally {
            await receiver.close();
        }
    });

    it('still delivers after a restart between "case stored" and "delivered"', async () => {
        const receiver = await startWebhookReceiver(secret);
        try {
            const created = await cases.create(sampleCase(), 'ATB', ['webhook']);
            // The process dies before any worker ran: nothing but the database survives.
            await cases.close();
            await outbox.close();
            open();
            const { worker: w } = worker({ url: receiver.url });
            expect((await w.runOnce()).delivered).to.equal(1);
            expect([...receiver.accepted.keys()]).to.deep.equal([created.reference]);
        } finally {
            await receiver.close();
        }
    });

    it('still delivers after a restart in the middle of a delivery, once the lease has run out', async () => {
        const receiver = await startWebhookReceiver(secret);
        try {
            const created = await cases.create(sampleCase(), 'ATB', ['webhook']);
            // A worker claimed the item, then the process died before it could send or record anything.
            await outbox.claimDue(clock.now(), 10, 60 * second);
            await cases.close();
            await outbox.close();
            open();
            const { worker: w } = worker({ url: receiver.url, leaseMs: 60 * second });
            expect((await w.runOnce()).delivered, 'still leased to the dead worker').to.equal(0);
            clock.advance(60 * second);
            expect((await w.runOnce()).delivered).to.equal(1);
            expect([...receiver.accepted.keys()]).to.deep.equal([created.reference]);
            expect((await outbox.forCase(created.reference))[0]).to.deep.include({ status: 'delivered', attempts: 2 });
        } finally {
            await receiver.close();
        }
    });

    it('makes a dead letter after the eighth failed attempt, and delivers it when replayed', async () => {
        const transport = new RecordingTransport();
        transport.failing = true;
        const created = await cases.create(sampleCase(), 'ATB', ['webhook']);
        const { worker: w, events } = worker({ transports: { webhook: transport } });
        const delays: number[] = [];
        for (let attempt = 1; attempt <= 8; attempt++) {
            const pass = await w.runOnce();
            expect(pass, `attempt ${attempt}`).to.deep.equal(
                attempt < 8 ? { delivered: 0, retried: 1, dead: 0 } : { delivered: 0, retried: 0, dead: 1 },
            );
            const [item] = await outbox.forCase(created.reference);
            if (attempt < 8) delays.push(Date.parse(item?.nextAttemptAt ?? '') - clock.now().getTime());
            clock.advance(hour);
        }
        expect(delays).to.deep.equal([30, 60, 120, 240, 480, 960, 1920].map((s) => s * 0.75 * second));
        expect(await w.runOnce()).to.deep.equal({ delivered: 0, retried: 0, dead: 0 });

        const [dead] = await outbox.listDead();
        expect(dead).to.deep.include({
            caseReference: created.reference,
            attempts: 8,
            lastError: 'Error: connect ECONNREFUSED 127.0.0.1:9',
        });
        expect(events('delivery.dead')[0]).to.deep.include({ reference: created.reference, attempt: 8 });

        transport.failing = false;
        expect(await outbox.replay(dead?.id ?? 0)).to.equal(true);
        expect(await w.runOnce()).to.deep.equal({ delivered: 1, retried: 0, dead: 0 });
        expect(transport.sent).to.deep.equal([created.reference]);
        expect(await outbox.listDead()).to.deep.equal([]);
    });

    it('makes a dead letter at once when the team has no such delivery any more', async () => {
        const created = await cases.create(sampleCase({ team: 'housing-options' }), 'ATB', ['webhook']);
        const { worker: w, events } = worker({ transports: { webhook: new RecordingTransport() } });
        expect(await w.runOnce()).to.deep.equal({ delivered: 0, retried: 0, dead: 1 });
        expect((await outbox.listDead())[0]).to.deep.include({
            caseReference: created.reference,
            attempts: 1,
            lastError: 'DeliveryError: team "housing-options" has no delivery settings',
        });
        expect(events('delivery.dead')).to.have.length(1);
    });

    it('delivers each item once when two workers (two connections) race on the same outbox', async () => {
        const created = await Promise.all(
            Array.from({ length: 25 }, () => cases.create(sampleCase(), 'ATB', ['webhook'])),
        );
        const transport = new RecordingTransport();
        const first = worker({ transports: { webhook: transport }, batchSize: 3 }).worker;
        const otherOutbox = new SqliteOutbox(file, { now: clock.now });
        opened.push(otherOutbox);
        const second = worker({ transports: { webhook: transport }, batchSize: 3, outbox: otherOutbox }).worker;
        for (let round = 0; round < 20; round++) {
            const passes = await Promise.all([first.runOnce(), second.runOnce(), first.runOnce(), second.runOnce()]);
            if (passes.every((p) => p.delivered === 0)) break;
        }
        expect(transport.sent).to.have.length(25);
        expect([...transport.sent].sort()).to.deep.equal(created.map((c) => c.reference).sort());
    });

    it('polls on its own once started, and stops cleanly', async () => {
        const transport = new RecordingTransport();
        const created = await cases.create(sampleCase(), 'ATB', ['webhook']);
        const { worker: w } = worker({ transports: { webhook: transport }, intervalMs: 1 });
        w.start();
        w.start();
        while (transport.sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
        await w.stop();
        await cases.create(sampleCase(), 'ATB', ['webhook']);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(transport.sent).to.deep.equal([created.reference]);
    });
});
