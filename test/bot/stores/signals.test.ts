import { expect } from 'chai';
import type { Pool } from 'pg';
import { CaseEvents, type CaseEvent } from '../../../bot/liveChat/caseEvents';
import { createPostgresPool } from '../../../bot/stores/createPostgresPool';
import { PostgresCaseStore } from '../../../bot/stores/postgresCaseStore';
import { PostgresSignals } from '../../../bot/stores/postgresSignals';
import { LocalSignals } from '../../../bot/stores/signals';
import { capturedLogger } from '../../helpers/capturedLogger';
import { usePostgres } from '../../helpers/postgres';
import { sampleCase } from './caseStore.contract';

async function eventually<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    let value = read();
    while (!done(value) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        value = read();
    }
    return value;
}

describe('LocalSignals', () => {
    it('tells the subscribers of a channel, and no longer one that stopped', async () => {
        const signals = new LocalSignals();
        const heard: string[] = [];
        const stop = signals.subscribe('directline', (p) => heard.push(`a:${p}`));
        signals.subscribe('directline', (p) => heard.push(`b:${p}`));
        signals.subscribe('case_events', (p) => heard.push(`c:${p}`));
        await signals.publish('directline', '1');
        stop();
        await signals.publish('directline', '2');
        expect(heard).to.deep.equal(['a:1', 'b:1', 'b:2']);
    });
});

describe('PostgresSignals and relayed case events on a real PostgreSQL', function () {
    this.timeout(30_000);
    const { freshSchema } = usePostgres('signals_test');
    const { log } = capturedLogger();
    let url: string;
    let drop: () => Promise<void>;
    const opened: { close(): Promise<void> }[] = [];
    const pool = (from = url) => {
        const p = createPostgresPool(from);
        opened.push({ close: () => p.end() });
        return p;
    };
    const signalsOn = async (p: Pool, from = url) => {
        const signals = await PostgresSignals.start(from, p, log);
        opened.unshift(signals);
        return signals;
    };
    beforeEach(async () => ({ url, drop } = await freshSchema()));
    afterEach(async () => {
        for (const item of opened.splice(0)) await item.close();
        await drop();
    });

    it('reaches every instance on the same schema, itself included, and no other deployment', async () => {
        const [one, two] = [await signalsOn(pool()), await signalsOn(pool())];
        const other = await freshSchema();
        try {
            const stranger = await signalsOn(pool(other.url), other.url);
            const heard: string[] = [];
            one.subscribe('directline', (p) => heard.push(`one:${p}`));
            two.subscribe('directline', (p) => heard.push(`two:${p}`));
            stranger.subscribe('directline', (p) => heard.push(`stranger:${p}`));
            await one.publish('directline', 'conversation-1');
            const got = await eventually(
                () => [...heard],
                (h) => h.length >= 2,
            );
            await new Promise((resolve) => setTimeout(resolve, 200));
            expect(got.sort()).to.deep.equal(['one:conversation-1', 'two:conversation-1']);
            expect(heard).to.have.length(2);
        } finally {
            await opened.shift()?.close();
            await other.drop();
        }
    });

    it('listens again by itself after its connection is cut, telling onResume so listeners catch up', async () => {
        const admin = pool();
        const signals = await signalsOn(pool());
        const heard: string[] = [];
        let resumed = 0;
        signals.subscribe('case_events', (p) => heard.push(p));
        signals.onResume(() => (resumed += 1));
        const schema = (await admin.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? '';
        const cut = await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = 'council-assistant signals' AND query LIKE $1`,
            [`%${schema}.case_events%`],
        );
        expect(cut.rowCount).to.equal(1);
        expect(
            await eventually(
                () => resumed,
                (r) => r > 0,
            ),
        ).to.equal(1);
        await signals.publish('case_events', 'after the cut');
        expect(
            await eventually(
                () => heard,
                (h) => h.length > 0,
            ),
        ).to.deep.equal(['after the cut']);
    });

    it("relays a resident's live chat line to another instance's listeners, read from the shared store", async () => {
        const [poolOne, poolTwo] = [pool(), pool()];
        const [casesOne, casesTwo] = [await PostgresCaseStore.create(poolOne), await PostgresCaseStore.create(poolTwo)];
        const eventsOne = new CaseEvents(log, { signals: await signalsOn(poolOne), cases: casesOne });
        const eventsTwo = new CaseEvents(log, { signals: await signalsOn(poolTwo), cases: casesTwo });
        const onOne: CaseEvent[] = [];
        const onTwo: CaseEvent[] = [];
        eventsOne.subscribe((e) => onOne.push(e));
        eventsTwo.subscribe((e) => onTwo.push(e));

        const created = await casesOne.create(sampleCase(), 'ATB');
        const entry = { at: new Date().toISOString(), from: 'resident' as const, text: 'Is anyone there?' };
        const position = await casesOne.appendTranscript(created.reference, entry);
        eventsOne.publish({ type: 'line', reference: created.reference, entry, position });
        eventsOne.publish({ type: 'changed', case: created });

        const relayed = await eventually(
            () => [...onTwo],
            (e) => e.length >= 2,
        );
        expect(relayed[0]).to.deep.equal({ type: 'line', reference: created.reference, entry, position });
        expect(relayed[1]).to.include({ type: 'changed' });
        // The publishing instance heard each once, not again through the database.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(onOne).to.have.length(2);
        eventsOne.close();
        eventsTwo.close();
    });
});
