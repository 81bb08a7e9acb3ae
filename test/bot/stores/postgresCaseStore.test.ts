import { expect } from 'chai';
import { usePostgres } from '../../helpers/postgres';
import { PostgresCaseStore, createPostgresPool } from '../../../bot/stores/postgresCaseStore';
import { caseStoreContract, sampleCase } from './caseStore.contract';

describe('PostgresCaseStore on a real PostgreSQL', function () {
    this.timeout(30_000);
    const { freshSchema } = usePostgres('case_store_test');

    caseStoreContract('PostgresCaseStore', async () => {
        const { url, drop } = await freshSchema();
        const stores = [await PostgresCaseStore.create(url)];
        return {
            store: stores[0] as PostgresCaseStore,
            reopen: async () => {
                stores.push(await PostgresCaseStore.create(url));
                return stores[stores.length - 1] as PostgresCaseStore;
            },
            cleanup: async () => {
                for (const store of stores) await store.close();
                await drop();
            },
        };
    });

    describe('across processes', () => {
        let url: string;
        let drop: () => Promise<void>;
        beforeEach(async () => ({ url, drop } = await freshSchema()));
        afterEach(async () => drop());

        it('creates one case when two instances create with the same idempotency key at once', async () => {
            const [first, second] = await Promise.all([PostgresCaseStore.create(url), PostgresCaseStore.create(url)]);
            for (let round = 0; round < 10; round++) {
                const made = await Promise.all(
                    [first, second].map((store) => store.create(sampleCase(), 'ATB', ['webhook'], `c@v${round}`)),
                );
                expect(made[0]?.reference).to.equal(made[1]?.reference);
            }
            expect(await first.queue()).to.have.length(10);
            await first.close();
            await second.close();
        });

        it('lets exactly one of two instances (separate pools) claim a case', async () => {
            const [first, second] = await Promise.all([PostgresCaseStore.create(url), PostgresCaseStore.create(url)]);
            for (let round = 0; round < 20; round++) {
                const created = await first.create(sampleCase(), 'ATB');
                const claims = await Promise.all(
                    [first, second, first, second].map((store, i) => store.claim(created.reference, `agent-${i}`)),
                );
                expect(claims.filter((c) => c !== undefined)).to.have.length(1);
            }
            await Promise.all([first.close(), second.close()]);
        });

        it('creates the table once when several instances start together', async () => {
            const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresCaseStore.create(url)));
            const created = await stores[0]?.create(sampleCase(), 'ATB');
            expect((await stores[4]?.get(created?.reference ?? ''))?.reference).to.equal(created?.reference);
            await Promise.all(stores.map((store) => store.close()));
        });

        it('leaves a pool it was given open, and ends one it made', async () => {
            const pool = createPostgresPool(url);
            const given = await PostgresCaseStore.create(pool);
            await given.close();
            expect(await given.isReachable()).to.equal(true);
            await pool.end();
            expect(await given.isReachable()).to.equal(false);

            const own = await PostgresCaseStore.create(url);
            await own.close();
            await own.close();
            expect(await own.isReachable()).to.equal(false);
        });

        it('tries a new reference when the first is taken', async () => {
            const tries = ['ATB-22222', 'ATB-22222', 'ATB-33333'];
            const store = await PostgresCaseStore.create(url, { newReference: () => tries.shift() ?? 'ATB-44444' });
            expect((await store.create(sampleCase(), 'ATB')).reference).to.equal('ATB-22222');
            expect((await store.create(sampleCase(), 'ATB')).reference).to.equal('ATB-33333');
            await store.close();
        });
    });
});
