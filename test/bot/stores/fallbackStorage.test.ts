import type { StoreItems } from 'botbuilder';
import { expect } from 'chai';
import { FallbackStorage } from '../../../bot/stores/fallbackStorage';
import { SqliteStorage } from '../../../bot/stores/sqliteStorage';
import { StorageConflictError } from '../../../bot/stores/stateStorage';
import { capturedLogger } from '../../helpers/capturedLogger';

/** SQLite state that can be switched off, as a database outage would. */
class FlakyStorage extends SqliteStorage {
    down = false;
    override async read(keys: string[]): Promise<StoreItems> {
        if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return super.read(keys);
    }
    override async write(changes: StoreItems): Promise<void> {
        if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return super.write(changes);
    }
}

describe('FallbackStorage', () => {
    it('holds state it could not write, serves it back, and writes it once the database returns', async () => {
        const inner = new FlakyStorage(':memory:');
        const storage = new FallbackStorage(inner, capturedLogger().log);
        await storage.write({ a: { step: 1 } });
        inner.down = true;
        const during = await storage.read(['a']);
        expect(during).to.deep.equal({});
        await storage.write({ a: { step: 2, eTag: 'stale' } });
        expect((await storage.read(['a'])).a).to.deep.equal({ step: 2, eTag: '*' });
        expect(storage.heldCount).to.equal(1);
        inner.down = false;
        // Back: the held state is newer than the database's, and wins.
        const back = await storage.read(['a']);
        expect(back.a).to.deep.equal({ step: 2, eTag: '*' });
        await storage.write({ a: { ...back.a, step: 3 } });
        expect(storage.heldCount).to.equal(0);
        expect((await inner.read(['a'])).a).to.include({ step: 3 });
    });

    it('passes a lost race through: a conflict is not an outage', async () => {
        const inner = new FlakyStorage(':memory:');
        const storage = new FallbackStorage(inner, capturedLogger().log);
        await storage.write({ a: { v: 1 } });
        const read = (await storage.read(['a'])).a;
        await storage.write({ a: { v: 2 } });
        let error: unknown;
        await storage.write({ a: { ...read, v: 3 } }).catch((e: unknown) => (error = e));
        expect(error).to.be.instanceOf(StorageConflictError);
        expect(storage.heldCount).to.equal(0);
    });
});
