import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SqliteStorage, StorageConflictError } from '../../../bot/stores/sqliteStorage';

describe('SqliteStorage', () => {
    let dir: string;
    let storage: SqliteStorage;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-storage-'));
        storage = new SqliteStorage(path.join(dir, 'nested', 'state.sqlite'));
    });
    afterEach(() => {
        storage.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('reads back what it wrote, with an eTag', async () => {
        await storage.write({ a: { count: 1 } });
        const items = await storage.read(['a', 'missing']);
        expect(items.a).to.include({ count: 1 });
        expect(items.a?.eTag).to.be.a('string');
        expect(items).to.not.have.property('missing');
    });

    it('refuses a write with a stale eTag and keeps the newer data', async () => {
        await storage.write({ a: { count: 1 } });
        const first = (await storage.read(['a'])).a;
        await storage.write({ a: { ...first, count: 2 } });
        let error: unknown;
        try {
            await storage.write({ a: { ...first, count: 3 } });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(StorageConflictError);
        expect((await storage.read(['a'])).a).to.include({ count: 2 });
    });

    it('overwrites with eTag "*"', async () => {
        await storage.write({ a: { count: 1 } });
        await storage.write({ a: { count: 5, eTag: '*' } });
        expect((await storage.read(['a'])).a).to.include({ count: 5 });
    });

    it('applies a batch of writes all or nothing', async () => {
        await storage.write({ a: { v: 1 } });
        const stale = (await storage.read(['a'])).a;
        await storage.write({ a: { v: 2 } });
        await storage.write({ b: { v: 1 }, a: stale }).catch(() => undefined);
        expect(await storage.read(['b'])).to.deep.equal({});
    });

    it('deletes items', async () => {
        await storage.write({ a: { v: 1 } });
        await storage.delete(['a']);
        expect(await storage.read(['a'])).to.deep.equal({});
    });

    it('deletes the state of conversations idle since a given time, and only those', async () => {
        await storage.write({ old: { v: 1 } });
        const cutoff = new Date(Date.now() + 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await storage.write({ recent: { v: 2 } });
        expect(storage.deleteIdleSince(cutoff)).to.equal(1);
        expect(Object.keys(await storage.read(['old', 'recent']))).to.deep.equal(['recent']);
    });

    it('keeps data across a restart (a file, not memory)', async () => {
        await storage.write({ a: { v: 'kept' } });
        storage.close();
        storage = new SqliteStorage(path.join(dir, 'nested', 'state.sqlite'));
        expect((await storage.read(['a'])).a).to.include({ v: 'kept' });
        expect(storage.isReachable()).to.equal(true);
    });
});
