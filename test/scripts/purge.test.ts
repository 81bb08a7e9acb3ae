import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../bot/config';
import { SqliteInsightStore } from '../../bot/insight/sqliteInsightStore';
import { SqliteCaseStore } from '../../bot/stores/sqliteCaseStore';
import { createPostgresPool } from '../../bot/stores/createPostgresPool';
import { PostgresCaseStore } from '../../bot/stores/postgresCaseStore';
import { usePostgres } from '../helpers/postgres';
import { sampleCase } from '../bot/stores/caseStore.contract';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const day = 24 * 60 * 60 * 1000;

describe('npm run purge', function () {
    this.timeout(60_000);
    let dataDir: string;
    beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'purge-'))));
    afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    function purge(env: Record<string, string>) {
        // DATABASE_URL is set empty so a developer's .env cannot send the purge to a real database.
        return spawnSync(tsx, ['scripts/purge.ts'], {
            cwd: projectRoot,
            encoding: 'utf8',
            env: {
                ...process.env,
                DATA_DIR: dataDir,
                DATABASE_URL: '',
                CASE_RETENTION_DAYS: '',
                INSIGHT_RETENTION_DAYS: '',
                ...env,
            },
        });
    }

    async function casesAged(...ages: number[]): Promise<string[]> {
        const file = path.join(dataDir, 'assistant.sqlite');
        const references: string[] = [];
        for (const age of ages) {
            const store = new SqliteCaseStore(file, { now: () => new Date(Date.now() - age * day) });
            references.push((await store.create(sampleCase(), 'ATB')).reference);
            await store.close();
        }
        return references;
    }

    it('removes the personal content of cases older than 180 days by default, and says how many', async () => {
        const [old, recent] = await casesAged(181, 179);
        const run = purge({});
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.match(
            /^Purged 1 case created before \d{4}-\d\d-\d\dT[\d:.]+Z \(retention 180 days\)\.\nDeleted 0 insight events from before .* \(retention 400 days\)\.\nDeleted the state of 0 conversation items idle since .* \(retention 24 hours\)\.\n$/,
        );

        const store = new SqliteCaseStore(path.join(dataDir, 'assistant.sqlite'));
        const purged = await store.get(old as string);
        expect(purged).to.deep.include({ residentWords: '', transcript: [], team: 'waste', serviceId: 'missed-bin' });
        expect(purged?.details).to.deep.equal({ name: '', contactMethod: 'phone', consent: true });
        expect((await store.get(recent as string))?.details.phone).to.equal('07700 900123');
        await store.close();

        expect(purge({}).stdout).to.match(/^Purged 0 cases /);
    });

    it('deletes insight events older than INSIGHT_RETENTION_DAYS, and only those', async () => {
        const store = new SqliteInsightStore(path.join(dataDir, 'assistant.sqlite'));
        for (const age of [50, 20]) {
            await store.record({
                at: new Date(Date.now() - age * day).toISOString(),
                conversation: 'c',
                kind: 'turn',
                channel: 'directline',
                language: 'en',
                outcome: 'answer',
                customerType: 'resident',
            });
        }
        await store.close();
        const run = purge({ INSIGHT_RETENTION_DAYS: '30' });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.contain('Deleted 1 insight event from before');
        const after = new SqliteInsightStore(path.join(dataDir, 'assistant.sqlite'));
        expect(await after.between(new Date(0), new Date())).to.have.length(1);
        await after.close();
    });

    it('honours CASE_RETENTION_DAYS', async () => {
        await casesAged(40, 20, 10);
        const run = purge({ CASE_RETENTION_DAYS: '15' });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Purged 2 cases .*\(retention 15 days\)/);
    });

    it('stops with exit code 1, naming the variable, when the retention is not a number of days', () => {
        const run = purge({ CASE_RETENTION_DAYS: 'forever' });
        expect(run.status).to.equal(1);
        expect(run.stderr).to.match(/CASE_RETENTION_DAYS/);
    });

    describe('on PostgreSQL', () => {
        const { freshSchema } = usePostgres('purge_test');

        it('purges cases, idle state and expired Direct Line conversations in the shared database', async () => {
            const { url, drop } = await freshSchema();
            const pool = createPostgresPool(url);
            try {
                const cases = await PostgresCaseStore.create(pool, { now: () => new Date(Date.now() - 200 * day) });
                const old = await cases.create(sampleCase(), 'ATB');
                const hour = 60 * 60 * 1000;
                await pool.query(
                    `INSERT INTO bot_state (key, etag, data, updated_at) VALUES ('idle', 'e', '{}', $1), ('live', 'e', '{}', now())`,
                    [new Date(Date.now() - 25 * hour)],
                );
                await pool.query(
                    `INSERT INTO directline_conversations (id, user_id, created_at, last_active)
                     VALUES ('quiet', 'u', $1, $1), ('talking', 'u', now(), now())`,
                    [new Date(Date.now() - 2 * hour)],
                );
                const run = purge({ DATABASE_URL: url });
                expect(run.status, run.stderr).to.equal(0);
                expect(run.stdout).to.contain('Purged 1 case created before');
                expect(run.stdout).to.contain('Deleted the state of 1 conversation item idle since');
                expect(run.stdout).to.contain('Deleted 1 expired Direct Line conversation.');
                expect((await cases.get(old.reference))?.residentWords).to.equal('');
                const left = await pool.query<{ id: string }>('SELECT id FROM directline_conversations');
                expect(left.rows.map((r) => r.id)).to.deep.equal(['talking']);
            } finally {
                await pool.end();
                await drop();
            }
        });
    });
});
