import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Pool } from 'pg';
import type { CaseStore } from '../../../bot/stores/caseStore';
import { createPostgresPool } from '../../../bot/stores/createPostgresPool';
import type { Outbox } from '../../../bot/stores/outbox';
import { PostgresCaseStore } from '../../../bot/stores/postgresCaseStore';
import { PostgresOutbox } from '../../../bot/stores/postgresOutbox';
import { outboxContract } from './outbox.contract';

// CI starts PostgreSQL (see .ci/run); locally it is expected at 127.0.0.1:5432, database `test`, trust auth.
const databaseUrl = process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/test';

describe('PostgresOutbox on a real PostgreSQL', function () {
    this.timeout(30_000);
    let admin: Pool;

    /** A schema of its own for one test, so runs (and tests) never see each other's deliveries. */
    async function freshSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
        const schema = `outbox_test_${process.pid}_${randomBytes(6).toString('hex')}`;
        await admin.query(`CREATE SCHEMA ${schema}`);
        const url = new URL(databaseUrl);
        url.searchParams.set('options', `-c search_path=${schema}`);
        return { url: url.href, drop: async () => void (await admin.query(`DROP SCHEMA ${schema} CASCADE`)) };
    }

    before(async () => {
        admin = createPostgresPool(databaseUrl);
        try {
            await admin.query('SELECT 1');
        } catch (error) {
            await admin.end();
            const where = new URL(databaseUrl);
            where.password = '';
            throw new Error(`PostgreSQL is not reachable at ${where.href}: start it or set DATABASE_URL (${error})`);
        }
    });
    after(async () => admin?.end());

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
