import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SqliteCaseStore } from '../../../bot/stores/sqliteCaseStore';
import { SqliteStorage } from '../../../bot/stores/sqliteStorage';
import { caseStoreContract, sampleCase } from './caseStore.contract';

function tempFile(): { dir: string; file: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-cases-'));
    return { dir, file: path.join(dir, 'nested', 'assistant.sqlite') };
}

caseStoreContract('SqliteCaseStore', async () => {
    const { dir, file } = tempFile();
    const stores = [new SqliteCaseStore(file)];
    return {
        store: stores[0] as SqliteCaseStore,
        reopen: async () => {
            stores.push(new SqliteCaseStore(file));
            return stores[stores.length - 1] as SqliteCaseStore;
        },
        cleanup: async () => {
            for (const store of stores) await store.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
});

describe('SqliteCaseStore', () => {
    let dir: string;
    let file: string;
    beforeEach(() => ({ dir, file } = tempFile()));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('tries a new reference when the first is taken', async () => {
        const tries = ['ATB-22222', 'ATB-22222', 'ATB-33333'];
        const store = new SqliteCaseStore(file, { newReference: () => tries.shift() ?? 'ATB-44444' });
        expect((await store.create(sampleCase(), 'ATB')).reference).to.equal('ATB-22222');
        expect((await store.create(sampleCase(), 'ATB')).reference).to.equal('ATB-33333');
        await store.close();
    });

    it('gives up with CASE_REFERENCE_EXHAUSTED after six taken references', async () => {
        let tries = 0;
        const store = new SqliteCaseStore(file, { newReference: () => (tries++, 'ATB-22222') });
        await store.create(sampleCase(), 'ATB');
        tries = 0;
        let error: unknown;
        await store.create(sampleCase(), 'ATB').catch((e: unknown) => (error = e));
        expect(error).to.have.property('code', 'CASE_REFERENCE_EXHAUSTED');
        expect(tries).to.equal(6);
        await store.close();
    });

    it('shares a WAL-mode file with the bot state', async () => {
        const state = new SqliteStorage(file);
        const store = new SqliteCaseStore(file);
        await state.write({ a: { v: 1 } });
        const created = await store.create(sampleCase(), 'ATB');
        expect((await state.read(['a'])).a).to.include({ v: 1 });
        expect((await store.get(created.reference))?.reference).to.equal(created.reference);
        state.close();
        await store.close();
        const raw = new Database(file, { readonly: true });
        expect(raw.pragma('journal_mode', { simple: true })).to.equal('wal');
        raw.close();
    });

    it('is unreachable once closed, and closing twice is harmless', async () => {
        const store = new SqliteCaseStore(file);
        expect(await store.isReachable()).to.equal(true);
        await store.close();
        await store.close();
        expect(await store.isReachable()).to.equal(false);
    });
});
