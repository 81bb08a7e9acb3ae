import { expect } from 'chai';
import { StorageConflictError, type StateStorage } from '../../../bot/stores/stateStorage';

/** A state storage on a fresh database, and how to open it again and throw it away. */
export interface StateStorageFixture {
    readonly storage: StateStorage;
    /** Opens the same database again, as the service does after a restart (or as another instance). */
    readonly reopen: () => Promise<StateStorage>;
    /** Moves the storage's clock (the time writes are stamped with). */
    readonly advance: (ms: number) => void;
    readonly cleanup: () => Promise<void>;
}

/** The behaviour every conversation state storage must have. */
export function stateStorageContract(name: string, open: () => Promise<StateStorageFixture>): void {
    describe(`${name} (state storage contract)`, () => {
        let fixture: StateStorageFixture;
        let storage: StateStorage;
        beforeEach(async () => {
            fixture = await open();
            storage = fixture.storage;
        });
        afterEach(async () => fixture.cleanup());

        it('reads back what it wrote, with an eTag, and nothing for a missing key', async () => {
            await storage.write({ a: { count: 1, nested: { list: ['x'] } } });
            const items = await storage.read(['a', 'missing']);
            expect(items.a).to.deep.include({ count: 1, nested: { list: ['x'] } });
            expect(items.a?.eTag).to.be.a('string');
            expect(items).to.not.have.property('missing');
        });

        it('refuses a write with a stale eTag and keeps the newer data', async () => {
            await storage.write({ a: { count: 1 } });
            const first = (await storage.read(['a'])).a;
            await storage.write({ a: { ...first, count: 2 } });
            let error: unknown;
            try {
                await storage.write({ a: { ...first, count: 3 } });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(StorageConflictError);
            expect((await storage.read(['a'])).a).to.include({ count: 2 });
        });

        it('lets exactly one of two writers racing from the same read win, across instances', async () => {
            const other = await fixture.reopen();
            await storage.write({ a: { count: 0 } });
            for (let round = 1; round <= 10; round++) {
                const read = (await storage.read(['a'])).a;
                const results = await Promise.allSettled([
                    storage.write({ a: { ...read, count: round, by: 'first' } }),
                    other.write({ a: { ...read, count: round, by: 'second' } }),
                ]);
                expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
                const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
                expect(lost.reason).to.be.instanceOf(StorageConflictError);
                expect((await other.read(['a'])).a).to.include({ count: round });
            }
        });

        it('overwrites with eTag "*"', async () => {
            await storage.write({ a: { count: 1 } });
            await storage.write({ a: { count: 5, eTag: '*' } });
            expect((await storage.read(['a'])).a).to.include({ count: 5 });
        });

        it('applies a batch of writes all or nothing', async () => {
            await storage.write({ a: { v: 1 } });
            const stale = (await storage.read(['a'])).a;
            await storage.write({ a: { v: 2 } });
            await storage.write({ b: { v: 1 }, a: stale }).catch(() => undefined);
            expect(await storage.read(['b'])).to.deep.equal({});
        });

        it('deletes items', async () => {
            await storage.write({ a: { v: 1 }, b: { v: 2 } });
            await storage.delete(['a']);
            expect(Object.keys(await storage.read(['a', 'b']))).to.deep.equal(['b']);
        });

        it('deletes the state of conversations idle since a given time, and only those', async () => {
            await storage.write({ old: { v: 1 } });
            fixture.advance(60_000);
            await storage.write({ recent: { v: 2 } });
            // The fixtures' clocks start a minute ago: the cut-off falls between the two writes.
            const cutoff = new Date(Date.now() - 30_000);
            expect(await storage.deleteIdleSince(cutoff)).to.equal(1);
            expect(Object.keys(await storage.read(['old', 'recent']))).to.deep.equal(['recent']);
        });

        it('keeps data across a restart, and says it is reachable', async () => {
            await storage.write({ a: { v: 'kept' } });
            const again = await fixture.reopen();
            expect((await again.read(['a'])).a).to.include({ v: 'kept' });
            expect(await again.isReachable()).to.equal(true);
        });
    });
}
