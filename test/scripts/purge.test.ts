import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { Pool } from 'pg';
import { projectRoot } from '../../bot/config';
import { SqliteInsightStore } from '../../bot/insight/sqliteInsightStore';
import { SqliteDirectLineStore } from '../../bot/channels/directLine/sqliteDirectLineStore';
import { directLineLimits } from '../../bot/channels/directLine/registerDirectLine';
import { SqliteCaseStore } from '../../bot/stores/sqliteCaseStore';
import { SqliteStorage } from '../../bot/stores/sqliteStorage';
import { createPostgresPool } from '../../bot/stores/createPostgresPool';
import { PostgresCaseStore } from '../../bot/stores/postgresCaseStore';
import { usePostgres } from '../helpers/postgres';
import { sampleCase } from '../bot/stores/caseStore.contract';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const hour = 60 * 60 * 1000;
const day = 24 * hour;

/** A string found nowhere else, to look for in raw bytes. */
const distinctive = (label: string) => `${label}-${randomBytes(9).toString('hex').toUpperCase()}`;

/** A case whose personal content (which the purge removes) carries `marker` in every field it removes. */
const markedCase = (marker: string) => {
    const base = sampleCase();
    return sampleCase({
        residentWords: `My bin ${marker} was not emptied`,
        details: { ...base.details, name: `Sam ${marker}`, address: `1 ${marker} Street` },
        transcript: [{ at: '2025-01-01T09:00:00.000Z', from: 'resident', text: `I am ${marker}` }],
    });
};

// Run in a process of its own: closing a descriptor of a SQLite file drops every POSIX lock this process holds on
// it, so reading the files here would make the open connections' locks vanish (and the purge delete their log).
const findIn = `const fs = require('fs'), path = require('path');
const [dir, text] = process.argv.slice(1);
const found = fs.readdirSync(dir).filter((name) => fs.readFileSync(path.join(dir, name)).includes(Buffer.from(text)));
process.stdout.write(JSON.stringify(found.sort()));`;

/** The files in `dir` (the database, its -wal and -shm) whose raw bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
    const run = spawnSync(process.execPath, ['-e', findIn, dir, text], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as string[];
}

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
            /^Purged 1 case created before \d{4}-\d\d-\d\dT[\d:.]+Z \(retention 180 days\)\.\nDeleted 0 insight events from before .* \(retention 400 days\)\.\nDeleted the state of 0 conversation items idle since .* \(retention 24 hours\)\.\nDeleted 0 expired Direct Line conversations\.\nRebuilt the SQLite file \(VACUUM\), once, to clear older free space\.\n$/,
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

    it("deletes the built-in Direct Line's expired conversations with their activities, and keeps the rest", async () => {
        const file = path.join(dataDir, 'assistant.sqlite');
        const [quiet, old, talking] = [2 * hour, 25 * hour, 0].map(
            (age) => new SqliteDirectLineStore(file, directLineLimits, () => Date.now() - age),
        ) as [SqliteDirectLineStore, SqliteDirectLineStore, SqliteDirectLineStore];
        for (const [store, id] of [
            [quiet, 'quiet'],
            [old, 'old'],
            [talking, 'talking'],
        ] as const) {
            await store.open({ conversationId: id, userId: `user-${id}` });
            await store.add(id, { type: 'message', text: `hello from ${id}` });
            await store.close();
        }
        // Used a minute ago, but started more than a day ago: expired all the same.
        const again = new SqliteDirectLineStore(file, directLineLimits, () => Date.now() - 60_000);
        await again.touch('old');
        await again.close();

        const run = purge({});
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.contain('Deleted 2 expired Direct Line conversations.');
        const db = new Database(file, { readonly: true });
        try {
            const ids = (table: string, column: string) =>
                db
                    .prepare<[], { id: string }>(`SELECT ${column} AS id FROM ${table} ORDER BY 1`)
                    .all()
                    .map((row) => row.id);
            expect(ids('directline_conversations', 'id')).to.deep.equal(['talking']);
            expect(ids('directline_activities', 'conversation_id')).to.deep.equal(['talking']);
        } finally {
            db.close();
        }
    });

    it('stops with exit code 1, naming the variable, when the retention is not a number of days', () => {
        const run = purge({ CASE_RETENTION_DAYS: 'forever' });
        expect(run.status).to.equal(1);
        expect(run.stderr).to.match(/CASE_RETENTION_DAYS/);
    });

    it('leaves no byte of a purged case, deleted conversation state, insight event or Direct Line activity in the db, -wal or -shm file', async () => {
        const file = path.join(dataDir, 'assistant.sqlite');
        const [caseMarker, stateMarker, insightMarker, directLineMarker] = ['CASE', 'STATE', 'INSIGHT', 'DL'].map(
            distinctive,
        );
        const markers = [caseMarker, stateMarker, insightMarker, directLineMarker];
        // The service is running: its connection stays open, so its write-ahead log stays beside the file.
        const service = new SqliteCaseStore(file, { now: () => new Date(Date.now() - 181 * day) });
        const state = new SqliteStorage(file, () => new Date(Date.now() - 25 * hour));
        const insight = new SqliteInsightStore(file);
        const directLine = new SqliteDirectLineStore(file, directLineLimits, () => Date.now() - 2 * hour);
        try {
            // The file's one-off rebuild (below) happens here: what follows is cleared as it is deleted.
            expect(purge({}).stdout).to.contain('Rebuilt the SQLite file');
            const made = await service.create(markedCase(caseMarker as string), 'ATB');
            await state.write({ 'test/conversations/old': { dialogState: { name: stateMarker } } });
            await insight.record({
                at: new Date(Date.now() - 500 * day).toISOString(),
                conversation: 'c',
                kind: 'turn',
                channel: 'directline',
                language: 'en',
                outcome: 'not-known',
                customerType: 'resident',
                text: `where is ${insightMarker}`,
            });
            await directLine.open({ conversationId: 'expired', userId: 'user-expired' });
            await directLine.add('expired', { type: 'message', text: `I live at ${directLineMarker}` });
            for (const marker of markers) {
                expect(filesContaining(dataDir, marker as string), `${marker} written`).to.not.deep.equal([]);
            }

            const run = purge({});
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.match(
                /Purged 1 case .*\nDeleted 1 insight event .*\nDeleted the state of 1 .*\nDeleted 1 expired Direct Line conversation\./s,
            );
            expect(run.stdout).to.not.contain('Rebuilt');

            expect(fs.readdirSync(dataDir).sort()).to.deep.equal([
                'assistant.sqlite',
                'assistant.sqlite-shm',
                'assistant.sqlite-wal',
            ]);
            for (const marker of markers) {
                expect(filesContaining(dataDir, marker as string), `${marker} left after the purge`).to.deep.equal([]);
            }
            // The service carries on with the file.
            expect((await service.get(made.reference))?.residentWords).to.equal('');
            expect(await state.read(['test/conversations/old'])).to.deep.equal({});
            expect(await directLine.get('expired')).to.equal(undefined);
        } finally {
            await Promise.all([service.close(), state.close(), insight.close(), directLine.close()]);
        }
        for (const marker of markers) {
            expect(filesContaining(dataDir, marker as string), `${marker} after closing`).to.deep.equal([]);
        }
    });

    it('rebuilds a file last written without secure_delete once, clearing what an older release left behind', async () => {
        const file = path.join(dataDir, 'assistant.sqlite');
        const marker = distinctive('OLDER');
        const storage = new SqliteStorage(file);
        await storage.write({
            'test/conversations/gone': { name: marker },
            'test/conversations/kept': { name: 'kept' },
        });
        await storage.close();
        // As an older release deleted a conversation's state: its bytes stay in the page's free space.
        const older = new Database(file);
        older.pragma('secure_delete = OFF');
        older.prepare('DELETE FROM bot_state WHERE key = ?').run('test/conversations/gone');
        older.close();
        expect(filesContaining(dataDir, marker)).to.deep.equal(['assistant.sqlite']);

        const first = purge({});
        expect(first.status, first.stderr).to.equal(0);
        expect(filesContaining(dataDir, marker)).to.deep.equal([]);
        expect(filesContaining(dataDir, '"kept"')).to.deep.equal(['assistant.sqlite']);
        expect(first.stdout).to.contain('Rebuilt the SQLite file (VACUUM), once');
        const second = purge({});
        expect(second.status, second.stderr).to.equal(0);
        expect(second.stdout).to.not.contain('Rebuilt');
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

        /** The raw bytes of a table's files (heap, TOAST, indexes) as they are on disk after a checkpoint. */
        async function tableBytes(pool: Pool, table: string): Promise<Buffer> {
            await pool.query('CHECKPOINT');
            const { rows } = await pool.query<{ bytes: Buffer }>(
                `SELECT pg_read_binary_file(pg_relation_filepath(c.oid)) AS bytes FROM pg_class c
                 WHERE c.oid = $1::regclass
                    OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = $1::regclass)
                    OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN
                                 ($1::regclass, (SELECT reltoastrelid FROM pg_class WHERE oid = $1::regclass)))`,
                [table],
            );
            return Buffer.concat(rows.map((r) => r.bytes ?? Buffer.alloc(0)));
        }

        it('rewrites the tables, so a purged case and deleted state leave no bytes in their files', async () => {
            const { url, drop } = await freshSchema();
            const pool = createPostgresPool(url);
            try {
                const [caseMarker, stateMarker, longMarker] = ['PGCASE', 'PGSTATE', 'PGLONG'].map(distinctive);
                const cases = await PostgresCaseStore.create(pool, { now: () => new Date(Date.now() - 200 * day) });
                await cases.create(markedCase(caseMarker as string), 'ATB');
                // A transcript long enough to be stored out of line (TOAST), incompressible.
                const long = `${longMarker} ${randomBytes(4000).toString('base64')}`;
                await cases.create(markedCase(long), 'ATB');
                await pool.query(`INSERT INTO bot_state (key, etag, data, updated_at) VALUES ('idle', 'e', $1, $2)`, [
                    JSON.stringify({ name: stateMarker }),
                    new Date(Date.now() - 25 * hour),
                ]);
                const bytesOf = async (table: string, marker: string) =>
                    (await tableBytes(pool, table)).includes(Buffer.from(marker as string));
                expect(await bytesOf('cases', caseMarker as string)).to.equal(true);
                expect(await bytesOf('cases', longMarker as string)).to.equal(true);
                expect(await bytesOf('bot_state', stateMarker as string)).to.equal(true);

                const run = purge({ DATABASE_URL: url });
                expect(run.status, run.stderr).to.equal(0);
                expect(run.stdout).to.contain('Purged 2 cases');
                expect(await bytesOf('cases', caseMarker as string)).to.equal(false);
                expect(await bytesOf('cases', longMarker as string)).to.equal(false);
                expect(await bytesOf('bot_state', stateMarker as string)).to.equal(false);
                expect(run.stdout).to.contain(
                    'Rewrote cases, bot_state, directline_conversations, directline_activities',
                );
                expect((await pool.query('SELECT count(*)::int AS n FROM cases')).rows[0]).to.deep.equal({ n: 2 });
            } finally {
                await pool.end();
                await drop();
            }
        });

        it('says which table it could not rewrite, with exit code 1, when a transaction holds it', async () => {
            const { url, drop } = await freshSchema();
            const pool = createPostgresPool(url);
            const holder = await pool.connect();
            try {
                await PostgresCaseStore.create(pool);
                await holder.query('BEGIN');
                await holder.query('LOCK TABLE bot_state IN ACCESS SHARE MODE');
                const run = purge({ DATABASE_URL: url });
                expect(run.status).to.equal(1);
                expect(run.stderr).to.match(/bot_state was not rewritten/);
                await holder.query('ROLLBACK');
            } finally {
                holder.release();
                await pool.end();
                await drop();
            }
        });
    });
});
