import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../bot/config';
import { createCaseStore } from '../../../bot/stores/createCaseStore';
import { openDatabase } from '../../../bot/stores/database';
import { PostgresCaseStore, createPostgresPool } from '../../../bot/stores/postgresCaseStore';
import { SqliteCaseStore } from '../../../bot/stores/sqliteCaseStore';

describe('createCaseStore', () => {
    it('keeps cases in the SQLite file under DATA_DIR when DATABASE_URL is not set', async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'case-store-'));
        const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: ' ' });
        expect(config.databaseUrl).to.equal(undefined);
        expect(config.caseRetentionDays).to.equal(180);
        const store = await createCaseStore(await openDatabase(config));
        expect(store).to.be.instanceOf(SqliteCaseStore);
        await store.close();
        expect(fs.existsSync(path.join(dataDir, 'assistant.sqlite'))).to.equal(true);
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('uses PostgreSQL when DATABASE_URL is set', async function () {
        this.timeout(30_000);
        const url = process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/test';
        // A schema of its own, so the table this creates does not stay behind in the shared database.
        const schema = `create_case_store_${process.pid}_${Date.now()}`;
        const withSchema = new URL(url);
        withSchema.searchParams.set('options', `-c search_path=${schema}`);
        const admin = createPostgresPool(url);
        await admin.query(`CREATE SCHEMA ${schema}`);
        try {
            const database = await openDatabase(loadConfig({ DATABASE_URL: withSchema.href }));
            const store = await createCaseStore(database);
            expect(store).to.be.instanceOf(PostgresCaseStore);
            expect(await store.isReachable()).to.equal(true);
            await store.close();
            await database.close();
        } finally {
            await admin.query(`DROP SCHEMA ${schema} CASCADE`);
            await admin.end();
        }
    });

    it('refuses a DATABASE_URL that is not a PostgreSQL URL, naming the variable', () => {
        expect(() => loadConfig({ DATABASE_URL: 'mysql://db/cases' })).to.throw(ConfigError, /DATABASE_URL/);
        expect(() => loadConfig({ CASE_RETENTION_DAYS: '0' })).to.throw(ConfigError, /CASE_RETENTION_DAYS/);
    });
});
