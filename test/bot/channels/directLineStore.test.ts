import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { DirectLineStore } from '../../../bot/channels/directLine/directLineStore';
import { PostgresDirectLineStore } from '../../../bot/channels/directLine/postgresDirectLineStore';
import { SqliteDirectLineStore } from '../../../bot/channels/directLine/sqliteDirectLineStore';
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
    /** Closes the first store and opens the same database again, as the service does after a restart. */
    readonly restart: () => Promise<DirectLineStore>;
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

        it('keeps conversations and their activities across a restart, and carries on from their watermark', async () => {
            await one.open({ ...grant('c1'), site: 'riverside-housing' });
            expect(await one.markStarted('c1', true)).to.equal(true);
            await one.add('c1', message('before'));
            const again = await fixture.restart();
            expect(await again.get('c1')).to.deep.equal({
                id: 'c1',
                userId: 'user-c1',
                site: 'riverside-housing',
                started: true,
                watermark: 1,
            });
            expect(await again.markStarted('c1', true)).to.equal(false);
            expect((await again.since('c1', 0)).activities.map((a) => a.text)).to.deep.equal(['before']);
            const heard = recorder();
            const stop = again.listen('c1', 0, heard.listener, () => undefined);
            expect(await again.add('c1', message('after'))).to.equal('c1|0000002');
            expect(await heard.until(2)).to.deep.equal(['before', 'after']);
            stop();
            expect(await again.touch('c1')).to.equal(true);
        });
    });
}

describe('SqliteDirectLineStore in a SQLite file', () => {
    let dataDir: string;
    let file: string;
    const opened: SqliteDirectLineStore[] = [];
    /** A store on the test's file, with its own clock; closed after the test. */
    const openStore = (now: () => number, maxBytes?: number, storeLimits = limits) => {
        const store = new SqliteDirectLineStore(file, storeLimits, now, maxBytes);
        opened.push(store);
        return store;
    };
    /** The activity rows the file holds for a conversation (read on a connection of its own, as the purge does). */
    const activityRows = (id: string) => {
        const db = new Database(file, { readonly: true });
        try {
            return db
                .prepare<[string], { watermark: number }>(
                    'SELECT watermark FROM directline_activities WHERE conversation_id = ? ORDER BY watermark',
                )
                .all(id)
                .map((row) => row.watermark);
        } finally {
            db.close();
        }
    };
    beforeEach(() => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directline-store-'));
        file = path.join(dataDir, 'assistant.sqlite');
    });
    afterEach(async () => {
        for (const store of opened.splice(0)) await store.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    // One instance: the same store twice (its streams hear only what this process adds, which is everything).
    directLineStoreContract(
        'SqliteDirectLineStore',
        async () => {
            let now = Date.now();
            const store = openStore(() => now);
            return {
                stores: [store, store],
                restart: async () => {
                    await store.close();
                    return openStore(() => now);
                },
                advance: (ms) => void (now += ms),
                cleanup: async () => undefined,
            };
        },
        false,
    );

    it('deletes trimmed activities, and a forgotten conversation with all its activities, from the file', async () => {
        let now = 0;
        const store = openStore(() => now);
        await store.open(grant('old'));
        await store.open(grant('kept'));
        for (let i = 1; i <= 7; i++) await store.add('old', message(`m${i}`));
        await store.add('kept', message('k'));
        expect(activityRows('old')).to.deep.equal([3, 4, 5, 6, 7]);
        now += limits.idleMs - 1;
        await store.touch('kept');
        now += 2;
        expect(await store.sweep()).to.equal(1);
        expect(activityRows('old')).to.deep.equal([]);
        expect(activityRows('kept')).to.deep.equal([1]);
    });

    it('forgets the conversations idle longest once all activities together pass the budget, and counts after a restart', async () => {
        let now = 0;
        const store = openStore(() => now, 3_000);
        const text = 'x'.repeat(400);
        for (const id of ['a', 'b', 'c']) {
            now += 10;
            await store.open(grant(id));
            await store.add(id, message(text));
            await store.add(id, message(text));
        }
        expect(store.heldBytes).to.be.at.most(3_000);
        expect(await store.get('a')).to.equal(undefined);
        expect(activityRows('a')).to.deep.equal([]);
        // Using b keeps it: now c is the one idle longest when the budget is passed again.
        now += 10;
        await store.touch('b');
        const held = store.heldBytes;
        await store.close();

        const again = openStore(() => now, 3_000);
        expect(again.heldBytes).to.equal(held);
        now += 10;
        await again.open(grant('d'));
        await again.add('d', message(text));
        await again.add('d', message(text));
        expect(await again.get('b')).to.not.equal(undefined);
        expect(await again.get('c')).to.equal(undefined);
        expect(await again.get('d')).to.not.equal(undefined);
        expect(again.heldBytes).to.be.at.most(3_000);
    });

    it('keeps at most the conversation limit, forgetting the longest idle and closing its streams', async () => {
        let now = 0;
        const store = openStore(() => now, undefined, { ...limits, conversations: 2 });
        const evicted: string[] = [];
        for (const id of ['a', 'b']) {
            now += 1;
            await store.open(grant(id));
            store.listen(
                id,
                0,
                () => undefined,
                () => evicted.push(id),
            );
        }
        now += 1;
        await store.open(grant('a'));
        now += 1;
        await store.open(grant('c'));
        expect(evicted).to.deep.equal(['b']);
        expect(await store.get('b')).to.equal(undefined);
        expect(await store.get('a')).to.not.equal(undefined);
        expect(await store.get('c')).to.not.equal(undefined);
    });

    it("lets the purge's own sweep delete what expired and nothing the running service streams", async () => {
        let now = 0;
        const service = openStore(() => now);
        await service.open(grant('streamed'));
        await service.open(grant('quiet'));
        service.listen(
            'streamed',
            0,
            () => undefined,
            () => undefined,
        );
        // The service sweeps each minute, marking what it streams as in use.
        now += limits.idleMs / 2;
        await service.sweep();
        now += limits.idleMs / 2 + 1;
        const purge = openStore(() => now);
        expect(await purge.sweep()).to.equal(1);
        expect(await service.get('quiet')).to.equal(undefined);
        expect(await service.get('streamed')).to.not.equal(undefined);
    });

    it('closes a stream whose conversation was deleted elsewhere (by the purge), at its next sweep', async () => {
        let now = 0;
        const service = openStore(() => now);
        await service.open(grant('old'));
        const evicted: string[] = [];
        service.listen(
            'old',
            0,
            () => undefined,
            () => evicted.push('old'),
        );
        // Past the maximum age, the purge (another process) deletes it before the service's own sweep does.
        now += limits.maxAgeMs + 1;
        expect(await openStore(() => now).sweep()).to.equal(1);
        expect(evicted).to.deep.equal([]);
        await service.sweep();
        expect(evicted).to.deep.equal(['old']);
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
                    const store: DirectLineStore = new PostgresDirectLineStore(pool, signals, limits, log, () => now);
                    return { pool, signals, store };
                }),
            );
            const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];
            return {
                stores: [first.store, second.store],
                restart: async () => {
                    await first.store.close();
                    first.store = new PostgresDirectLineStore(first.pool, first.signals, limits, log, () => now);
                    return first.store;
                },
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
