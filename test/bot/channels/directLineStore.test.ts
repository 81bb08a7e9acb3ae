import type { Activity } from 'botbuilder';
import { expect } from 'chai';
import type { DirectLineStore } from '../../../bot/channels/directLine/directLineStore';
import { MemoryDirectLineStore } from '../../../bot/channels/directLine/memoryDirectLineStore';
import { PostgresDirectLineStore } from '../../../bot/channels/directLine/postgresDirectLineStore';
import { directLineLimits } from '../../../bot/channels/directLine/registerDirectLine';
import { createPostgresPool } from '../../../bot/stores/createPostgresPool';
import { migratePostgres } from '../../../bot/stores/postgresMigrations';
import { PostgresSignals } from '../../../bot/stores/postgresSignals';
import { capturedLogger } from '../../helpers/capturedLogger';
import { usePostgres } from '../../helpers/postgres';

const limits = { ...directLineLimits, activities: 5, streamsPerConversation: 2, idleMs: 60_000, maxAgeMs: 600_000 };
const grant = (conversationId: string) => ({ conversationId, userId: `user-${conversationId}` });
const message = (text: string): Partial<Activity> => ({ type: 'message', text });

/** Stores that share what they hold (one for a single instance; several on one database for several). */
interface StoreFixture {
    /** Stores that see the same conversations: one instance's, or two instances' on one database. */
    readonly stores: readonly [DirectLineStore, DirectLineStore];
    readonly advance: (ms: number) => void;
    readonly cleanup: () => Promise<void>;
}

/** Collects what a listener hears, and waits for it. */
function recorder() {
    const heard: { texts: string[]; watermark: number }[] = [];
    return {
        heard,
        listener: (activities: readonly Partial<Activity>[], watermark: number) =>
            heard.push({ texts: activities.map((a) => a.text ?? ''), watermark }),
        texts: () => heard.flatMap((h) => h.texts),
        until: async (count: number) => {
            const deadline = Date.now() + 5000;
            while (heard.flatMap((h) => h.texts).length < count && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 10));
            }
            return heard.flatMap((h) => h.texts);
        },
    };
}

function directLineStoreContract(name: string, open: () => Promise<StoreFixture>, shared: boolean): void {
    describe(`${name} (Direct Line store contract)`, () => {
        let fixture: StoreFixture;
        let one: DirectLineStore;
        let other: DirectLineStore;
        beforeEach(async () => {
            fixture = await open();
            [one, other] = fixture.stores;
        });
        afterEach(async () => fixture.cleanup());

        it('creates a conversation on first use, then opens the same one, and knows no other', async () => {
            const created = await one.open({ ...grant('c1'), site: 'riverside-housing' });
            expect(created).to.deep.equal({
                id: 'c1',
                userId: 'user-c1',
                site: 'riverside-housing',
                started: false,
                watermark: 0,
            });
            expect(await other.open(grant('c1'))).to.include({ id: 'c1', watermark: 0 });
            expect(await one.get('nope')).to.equal(undefined);
            expect(await one.touch('nope')).to.equal(false);
            expect(await one.add('nope', message('x'))).to.equal(undefined);
        });

        it('lets exactly one caller mark a conversation started, and a failed start be undone', async () => {
            await one.open(grant('c1'));
            const marks = await Promise.all([one.markStarted('c1', true), other.markStarted('c1', true)]);
            expect(marks.filter(Boolean)).to.have.length(1);
            expect((await other.get('c1'))?.started).to.equal(true);
            expect(await one.markStarted('c1', false)).to.equal(true);
            expect((await other.get('c1'))?.started).to.equal(false);
        });

        it('numbers activities in order with ids and watermarks, and gives them from a watermark', async () => {
            await one.open(grant('c1'));
            const ids = [];
            for (const text of ['a', 'b', 'c']) ids.push(await (text === 'b' ? other : one).add('c1', message(text)));
            expect(ids).to.deep.equal(['c1|0000001', 'c1|0000002', 'c1|0000003']);
            const since = await other.since('c1', 1);
            expect(since.watermark).to.equal(3);
            expect(since.activities.map((a) => a.text)).to.deep.equal(['b', 'c']);
            expect(since.activities[0]).to.deep.include({ id: 'c1|0000002', conversation: { id: 'c1' } });
            expect(await one.since('c1', 3)).to.deep.equal({ activities: [], watermark: 3 });
        });

        it('keeps only the most recent activities beyond the limit', async () => {
            await one.open(grant('c1'));
            for (let i = 1; i <= 8; i++) await one.add('c1', message(`m${i}`));
            const all = await other.since('c1', 0);
            expect(all.activities.map((a) => a.text)).to.deep.equal(['m4', 'm5', 'm6', 'm7', 'm8']);
            expect(all.watermark).to.equal(8);
        });

        it(`tells a listener what it missed, then each new activity${shared ? ', wherever it was added' : ''}`, async () => {
            await one.open(grant('c1'));
            await one.add('c1', message('before'));
            await one.add('c1', message('missed'));
            const heard = recorder();
            const stop = one.listen('c1', 1, heard.listener, () => undefined);
            expect(await heard.until(1)).to.deep.equal(['missed']);
            await other.add('c1', message('from elsewhere'));
            await one.add('c1', message('from here'));
            expect(await heard.until(3)).to.deep.equal(['missed', 'from elsewhere', 'from here']);
            expect(heard.heard.at(-1)?.watermark).to.equal(4);
            stop();
            stop();
            await one.add('c1', message('after stopping'));
            await new Promise((resolve) => setTimeout(resolve, 100));
            expect(heard.texts()).to.have.length(3);
        });

        it('closes the oldest stream beyond the per-conversation limit', async () => {
            await one.open(grant('c1'));
            const evicted: number[] = [];
            for (const n of [1, 2, 3])
                one.listen(
                    'c1',
                    0,
                    () => undefined,
                    () => evicted.push(n),
                );
            expect(evicted).to.deep.equal([1]);
        });

        it('forgets idle and too old conversations, closing their streams, and keeps the rest', async () => {
            await one.open(grant('idle'));
            await one.open(grant('busy'));
            await one.open(grant('held'));
            const evicted: string[] = [];
            one.listen(
                'held',
                0,
                () => undefined,
                () => evicted.push('held'),
            );
            fixture.advance(50_000);
            await other.touch('busy');
            fixture.advance(20_000);
            expect(await one.sweep()).to.equal(1);
            expect(await other.get('idle')).to.equal(undefined);
            expect(await other.get('busy')).to.not.equal(undefined);
            expect(await other.get('held')).to.not.equal(undefined);
            fixture.advance(600_000);
            await one.sweep();
            await other.sweep();
            expect(evicted).to.deep.equal(['held']);
            expect(await other.get('held')).to.equal(undefined);
        });
    });
}

directLineStoreContract(
    'MemoryDirectLineStore',
    async () => {
        let now = Date.now();
        const store = new MemoryDirectLineStore(limits, () => now);
        return { stores: [store, store], advance: (ms) => void (now += ms), cleanup: () => store.close() };
    },
    false,
);

describe('MemoryDirectLineStore memory budget', () => {
    it('forgets the conversations idle longest once all activities together pass the budget', async () => {
        let now = 0;
        const store = new MemoryDirectLineStore(limits, () => now, 3_000);
        const text = 'x'.repeat(400);
        for (const id of ['a', 'b', 'c']) {
            await store.open(grant(id));
            now += 1;
            await store.add(id, message(text));
            await store.add(id, message(text));
        }
        expect(store.heldChars).to.be.at.most(3_000);
        expect(await store.get('a')).to.equal(undefined);
        // Using b keeps it: now c is the one idle longest when the budget is passed again.
        await store.touch('b');
        await store.open(grant('d'));
        await store.add('d', message(text));
        await store.add('d', message(text));
        expect(await store.get('b')).to.not.equal(undefined);
        expect(await store.get('c')).to.equal(undefined);
        expect(store.heldChars).to.be.at.most(3_000);
        await store.close();
    });
});

describe('PostgresDirectLineStore on a real PostgreSQL', function () {
    this.timeout(30_000);
    const { freshSchema } = usePostgres('directline_store_test');
    // Two instances: each with its own pool and listening connection, on one database.
    directLineStoreContract(
        'PostgresDirectLineStore',
        async () => {
            const { url, drop } = await freshSchema();
            const { log } = capturedLogger();
            let now = Date.now();
            const instances = await Promise.all(
                [1, 2].map(async () => {
                    const pool = createPostgresPool(url);
                    await migratePostgres(pool);
                    const signals = await PostgresSignals.start(url, pool, log);
                    const store = new PostgresDirectLineStore(pool, signals, limits, log, () => now);
                    return { pool, signals, store };
                }),
            );
            return {
                stores: [instances[0]?.store, instances[1]?.store] as [DirectLineStore, DirectLineStore],
                advance: (ms) => void (now += ms),
                cleanup: async () => {
                    for (const { pool, signals, store } of instances) {
                        await store.close();
                        await signals.close();
                        await pool.end();
                    }
                    await drop();
                },
            };
        },
        true,
    );
});
