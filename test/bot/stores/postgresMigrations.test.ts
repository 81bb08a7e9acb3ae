import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createPostgresPool } from '../../../bot/stores/createPostgresPool';
import { migratePostgres, postgresMigrations } from '../../../bot/stores/postgresMigrations';
import { usePostgres } from '../../helpers/postgres';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const versions = postgresMigrations.map((m) => m.version);

describe('PostgreSQL schema migrations', function () {
    this.timeout(60_000);
    const { freshSchema } = usePostgres('migrations_test');
    let url: string;
    let drop: () => Promise<void>;
    beforeEach(async () => ({ url, drop } = await freshSchema()));
    afterEach(async () => drop());

    it('are numbered in order without gaps', () => {
        expect(versions).to.deep.equal(versions.map((_v, i) => i + 1));
    });

    it('apply every migration once, record them, and find nothing to do the second time', async () => {
        const pool = createPostgresPool(url);
        try {
            expect(await migratePostgres(pool)).to.deep.equal(versions);
            expect(await migratePostgres(pool)).to.deep.equal([]);
            const { rows } = await pool.query<{ version: number }>(
                'SELECT version FROM schema_migrations ORDER BY version',
            );
            expect(rows.map((r) => r.version)).to.deep.equal(versions);
            const tables = await pool.query<{ table_name: string }>(
                'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()',
            );
            expect(tables.rows.map((r) => r.table_name)).to.include.members([
                'cases',
                'delivery_outbox',
                'insight_events',
                'bot_state',
                'directline_conversations',
                'directline_activities',
                'agent_sessions',
            ]);
        } finally {
            await pool.end();
        }
    });

    it('run safely when three instances start at once: each migration is applied by exactly one', async () => {
        const pools = [1, 2, 3].map(() => createPostgresPool(url));
        try {
            const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)));
            expect(applied.flat().sort((a, b) => a - b)).to.deep.equal(versions);
        } finally {
            await Promise.all(pools.map((pool) => pool.end()));
        }
    });

    it('adopt a database whose case tables were made before migrations were recorded', async () => {
        const pool = createPostgresPool(url);
        try {
            // What the service created before it recorded migrations: the first two steps, unrecorded.
            await pool.query(postgresMigrations[0]?.sql ?? '');
            await pool.query(postgresMigrations[1]?.sql ?? '');
            expect(await migratePostgres(pool)).to.deep.equal(versions);
        } finally {
            await pool.end();
        }
    });

    it('npm run db:migrate says what it applied, then that the schema is up to date', async () => {
        const env = { ...process.env, DATABASE_URL: url };
        const script = path.join(root, 'scripts', 'dbMigrate.ts');
        const first = await run(process.execPath, ['--import', 'tsx', script], { cwd: root, env });
        expect(first.stdout).to.match(/Applied 1: cases and their delivery outbox/);
        expect(first.stdout).to.contain(`now at version ${versions.length}`);
        const second = await run(process.execPath, ['--import', 'tsx', script], { cwd: root, env });
        expect(second.stdout).to.contain(`up to date (version ${versions.length})`);
    });
});
