import { expect } from 'chai';
import type { CaseStore } from '../../../bot/stores/caseStore';
import type { DeliveryTransport, NewOutboxItem, Outbox, OutboxItem } from '../../../bot/stores/outbox';
import { sampleCase } from './caseStore.contract';

/** An outbox and a case store on one fresh, empty database, and how to open it again and throw it away. */
export interface OutboxFixture {
    readonly outbox: Outbox;
    /** The case store on the same database, which enqueues in the case's own transaction. */
    readonly cases: CaseStore;
    /** Opens the same database again, as another instance or the service after a restart does. */
    readonly reopen: () => Promise<{ outbox: Outbox; cases: CaseStore }>;
    /** Closes everything the fixture opened and removes the database. */
    readonly cleanup: () => Promise<void>;
}

const minute = 60_000;
const later = (ms: number) => new Date(Date.now() + ms);
const ids = (items: OutboxItem[]) => items.map((i) => i.id);
const item = (caseReference: string, transport: DeliveryTransport = 'webhook'): NewOutboxItem => ({
    caseReference,
    transport,
    team: 'waste',
});

/** The behaviour every Outbox implementation must have; `create` gives a fresh, empty database per test. */
export function outboxContract(name: string, create: () => Promise<OutboxFixture>): void {
    describe(`${name} (outbox contract)`, () => {
        let fixture: OutboxFixture;
        let outbox: Outbox;
        beforeEach(async () => {
            fixture = await create();
            outbox = fixture.outbox;
        });
        afterEach(async () => fixture.cleanup());

        it('enqueues deliveries due now, once per case and transport', async () => {
            await outbox.enqueue([item('ATB-22222'), item('ATB-22222', 'email')]);
            await outbox.enqueue([item('ATB-22222')]);
            const items = await outbox.forCase('ATB-22222');
            expect(items.map((i) => [i.transport, i.status, i.attempts, i.team])).to.deep.equal([
                ['webhook', 'pending', 0, 'waste'],
                ['email', 'pending', 0, 'waste'],
            ]);
            expect(items[0]).to.not.have.any.keys('deliveredAt', 'lastError');
            expect(Date.parse(items[0]?.nextAttemptAt ?? '')).to.be.at.most(Date.now());
            expect(await outbox.get(items[0]?.id ?? 0)).to.deep.equal(items[0]);
            expect(await outbox.get(999_999)).to.equal(undefined);
        });

        it('enqueues a case with its deliveries in the same transaction as the case', async () => {
            const created = await fixture.cases.create(sampleCase(), 'ATB', ['webhook', 'email']);
            const items = await outbox.forCase(created.reference);
            expect(items.map((i) => [i.transport, i.team, i.status])).to.deep.equal([
                ['webhook', 'waste', 'pending'],
                ['email', 'waste', 'pending'],
            ]);
            const plain = await fixture.cases.create(sampleCase(), 'ATB');
            expect(await outbox.forCase(plain.reference)).to.deep.equal([]);
        });

        it('stores neither the case nor any delivery when enqueuing fails', async () => {
            let error: unknown;
            await fixture.cases
                .create(sampleCase(), 'ATB', ['webhook', 'fax' as DeliveryTransport])
                .catch((e: unknown) => (error = e));
            expect(error).to.be.instanceOf(Error);
            expect(await fixture.cases.queue()).to.deep.equal([]);
            expect(await outbox.claimDue(later(minute), 10, minute)).to.deep.equal([]);
        });

        it('claims due items oldest first, up to the limit, counting an attempt and leasing them', async () => {
            await outbox.enqueue([item('ATB-22222')]);
            await outbox.enqueue([item('ATB-33333')]);
            await outbox.enqueue([item('ATB-44444')]);
            const now = later(1000);
            const first = await outbox.claimDue(now, 2, minute);
            expect(first.map((i) => [i.caseReference, i.attempts])).to.deep.equal([
                ['ATB-22222', 1],
                ['ATB-33333', 1],
            ]);
            expect(first[0]?.nextAttemptAt).to.equal(new Date(now.getTime() + minute).toISOString());
            const second = await outbox.claimDue(now, 2, minute);
            expect(second.map((i) => i.caseReference)).to.deep.equal(['ATB-44444']);
            expect(await outbox.claimDue(now, 10, minute)).to.deep.equal([]);
        });

        it('gives a leased item to another claim only once the lease has run out (a worker that died)', async () => {
            await outbox.enqueue([item('ATB-22222')]);
            const now = later(1000);
            const [claimed] = await outbox.claimDue(now, 10, minute);
            expect(await outbox.claimDue(new Date(now.getTime() + minute - 1), 10, minute)).to.deep.equal([]);
            const again = await outbox.claimDue(new Date(now.getTime() + minute), 10, minute);
            expect(ids(again)).to.deep.equal([claimed?.id]);
            expect(again[0]?.attempts).to.equal(2);
        });

        it('does not claim an item before the time a failed attempt set, and keeps the error', async () => {
            await outbox.enqueue([item('ATB-22222')]);
            const now = later(1000);
            const [claimed] = await outbox.claimDue(now, 10, minute);
            const retryAt = new Date(now.getTime() + 5 * minute);
            await outbox.markFailed(claimed?.id ?? 0, 'webhook answered HTTP 500', retryAt);
            const failed = await outbox.get(claimed?.id ?? 0);
            expect(failed).to.deep.include({ status: 'pending', attempts: 1, lastError: 'webhook answered HTTP 500' });
            expect(failed?.nextAttemptAt).to.equal(retryAt.toISOString());
            expect(await outbox.claimDue(new Date(retryAt.getTime() - 1), 10, minute)).to.deep.equal([]);
            expect(ids(await outbox.claimDue(retryAt, 10, minute))).to.deep.equal([claimed?.id]);
        });

        it('never claims a delivered item again, and ignores a late failure report for it', async () => {
            await outbox.enqueue([item('ATB-22222')]);
            const [claimed] = await outbox.claimDue(later(1000), 10, minute);
            await outbox.markDelivered(claimed?.id ?? 0);
            await outbox.markFailed(claimed?.id ?? 0, 'late report from a worker whose lease ran out', later(0));
            await outbox.markDead(claimed?.id ?? 0, 'late report');
            const delivered = await outbox.get(claimed?.id ?? 0);
            expect(delivered).to.deep.include({ status: 'delivered', attempts: 1 });
            expect(delivered?.deliveredAt).to.be.a('string');
            expect(delivered).to.not.have.property('lastError');
            expect(await outbox.claimDue(later(24 * 60 * minute), 10, minute)).to.deep.equal([]);
        });

        it('keeps dead letters out of the claims, lists them, and replays one with a fresh count', async () => {
            await outbox.enqueue([item('ATB-22222'), item('ATB-33333')]);
            const claimed = await outbox.claimDue(later(1000), 10, minute);
            for (const c of claimed) await outbox.markDead(c.id, 'webhook answered HTTP 500');
            const dead = await outbox.listDead();
            expect(dead.map((d) => [d.caseReference, d.status, d.lastError])).to.deep.equal([
                ['ATB-22222', 'dead', 'webhook answered HTTP 500'],
                ['ATB-33333', 'dead', 'webhook answered HTTP 500'],
            ]);
            expect(await outbox.claimDue(later(24 * 60 * minute), 10, minute)).to.deep.equal([]);

            expect(await outbox.replay(dead[0]?.id ?? 0)).to.equal(true);
            expect(await outbox.replay(dead[0]?.id ?? 0)).to.equal(false);
            expect(await outbox.replay(999_999)).to.equal(false);
            expect(ids(await outbox.listDead())).to.deep.equal([dead[1]?.id]);
            const [replayed] = await outbox.claimDue(later(1000), 10, minute);
            expect(replayed).to.deep.include({ id: dead[0]?.id, status: 'pending', attempts: 1 });
        });

        it('hands each item to exactly one of many simultaneous claims', async () => {
            await outbox.enqueue(Array.from({ length: 40 }, (_, i) => item(`ATB-${10_000 + i}`)));
            const now = later(1000);
            const claims = await Promise.all(Array.from({ length: 12 }, () => outbox.claimDue(now, 5, minute)));
            const claimed = claims.flat().map((c) => c.caseReference);
            expect(claimed).to.have.length(40);
            expect(new Set(claimed).size).to.equal(40);
        });

        it('hands each item to exactly one of two instances claiming at once', async () => {
            const other = await fixture.reopen();
            await outbox.enqueue(Array.from({ length: 30 }, (_, i) => item(`ATB-${20_000 + i}`)));
            const now = later(1000);
            const claimed: string[] = [];
            for (let round = 0; round < 10; round++) {
                const [a, b] = await Promise.all([
                    outbox.claimDue(now, 2, minute),
                    other.outbox.claimDue(now, 2, minute),
                ]);
                claimed.push(...[...(a ?? []), ...(b ?? [])].map((c) => c.caseReference));
            }
            expect(claimed).to.have.length(30);
            expect(new Set(claimed).size).to.equal(30);
        });

        it('keeps its items, due or leased, when closed and opened again', async () => {
            const created = await fixture.cases.create(sampleCase(), 'ATB', ['webhook']);
            await outbox.enqueue([item('ATB-22222')]);
            const now = later(1000);
            const [leased] = await outbox.claimDue(now, 1, minute);
            await outbox.close();
            await fixture.cases.close();
            const reopened = await fixture.reopen();
            const due = await reopened.outbox.claimDue(now, 10, minute);
            expect(due.map((i) => i.caseReference)).to.deep.equal(
                [created.reference, 'ATB-22222'].filter((r) => r !== leased?.caseReference),
            );
            for (const d of due) await reopened.outbox.markDelivered(d.id);
            const afterLease = await reopened.outbox.claimDue(new Date(now.getTime() + minute), 10, minute);
            expect(afterLease.map((i) => [i.caseReference, i.attempts])).to.deep.equal([[leased?.caseReference, 2]]);
        });
    });
}
