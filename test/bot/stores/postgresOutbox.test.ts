import { expect } from 'chai';
import { usePostgres } from '../../helpers/postgres';
import type { CaseStore } from '../../../bot/stores/caseStore';
import { createPostgresPool } from '../../../bot/stores/createPostgresPool';
import type { Outbox } from '../../../bot/stores/outbox';
import { PostgresCaseStore } from '../../../bot/stores/postgresCaseStore';
import { PostgresOutbox } from '../../../bot/stores/postgresOutbox';
import { outboxContract } from './outbox.contract';

describe('PostgresOutbox on a real PostgreSQL', function () {
    this.timeout(30_000);
    const { freshSchema } = usePostgres('outbox_test');

    outboxContract('PostgresOutbox', async () => {
        const { url, drop } = await freshSchema();
        const opened: (Outbox | CaseStore)[] = [];
        const open = async () => {
            // The outbox first, as the app opens it after the cases: either may create the table.
            const pair = { outbox: await PostgresOutbox.create(url), cases: await PostgresCaseStore.create(url) };
            opened.push(pair.outbox, pair.cases);
            return pair;
        };
        return {
            ...(await open()),
            reopen: open,
            cleanup: async () => {
                for (const store of opened) await store.close();
                await drop();
            },
        };
    });

    describe('across processes', () => {
        let url: string;
        let drop: () => Promise<void>;
        beforeEach(async () => ({ url, drop } = await freshSchema()));
        afterEach(async () => drop());

        it('creates the table once when outboxes and case stores start together', async () => {
            const opened = await Promise.all([
                ...Array.from({ length: 3 }, () => PostgresOutbox.create(url)),
                ...Array.from({ length: 3 }, () => PostgresCaseStore.create(url)),
            ]);
            const [outbox] = opened as [PostgresOutbox];
            await outbox.enqueue([{ caseReference: 'ATB-22222', transport: 'webhook', team: 'waste' }]);
            expect(await outbox.forCase('ATB-22222')).to.have.length(1);
            await Promise.all(opened.map((store) => store.close()));
        });

        it('leaves a pool it was given open, and ends one it made', async () => {
            const pool = createPostgresPool(url);
            const given = await PostgresOutbox.create(pool);
            await given.close();
            expect((await pool.query('SELECT 1 AS ok')).rows[0]).to.deep.equal({ ok: 1 });
            await pool.end();
            const own = await PostgresOutbox.create(url);
            await own.close();
            await own.close();
        });
    });
});
