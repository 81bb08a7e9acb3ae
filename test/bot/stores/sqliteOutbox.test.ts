import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { CaseStore } from '../../../bot/stores/caseStore';
import type { Outbox } from '../../../bot/stores/outbox';
import { SqliteCaseStore } from '../../../bot/stores/sqliteCaseStore';
import { SqliteOutbox } from '../../../bot/stores/sqliteOutbox';
import { SqliteStorage } from '../../../bot/stores/sqliteStorage';
import { sampleCase } from './caseStore.contract';
import { outboxContract } from './outbox.contract';

outboxContract('SqliteOutbox', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-outbox-'));
    const file = path.join(dir, 'nested', 'assistant.sqlite');
    const opened: (Outbox | CaseStore)[] = [];
    const open = () => {
        const pair = { outbox: new SqliteOutbox(file), cases: new SqliteCaseStore(file) };
        opened.push(pair.outbox, pair.cases);
        return pair;
    };
    return {
        ...open(),
        reopen: async () => open(),
        cleanup: async () => {
            for (const store of opened) await store.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
});

describe('SqliteOutbox', () => {
    it('shares the SQLite file with the cases and the bot state, in a table of its own', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-outbox-'));
        const file = path.join(dir, 'assistant.sqlite');
        const state = new SqliteStorage(file);
        const cases = new SqliteCaseStore(file);
        const outbox = new SqliteOutbox(file);
        await state.write({ a: { v: 1 } });
        const created = await cases.create(sampleCase(), 'ATB', ['email']);
        expect((await outbox.forCase(created.reference)).map((i) => i.transport)).to.deep.equal(['email']);
        expect((await state.read(['a'])).a).to.include({ v: 1 });
        state.close();
        await cases.close();
        await outbox.close();
        await outbox.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
