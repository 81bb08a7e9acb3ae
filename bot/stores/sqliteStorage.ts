import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from './sqliteFile';
import type { StoreItems } from 'botbuilder';
import { StorageConflictError, type StateStorage } from './stateStorage';

export { StorageConflictError } from './stateStorage';

/**
 * Bot Framework state in a SQLite file (WAL mode, so a crash mid-write leaves the last committed state).
 */
export class SqliteStorage implements StateStorage {
    private readonly db: Database.Database;
    private readonly select: Database.Statement<[string], { data: string; etag: string }>;
    private readonly upsert: Database.Statement<[string, string, string, number]>;
    private readonly remove: Database.Statement<[string]>;

    constructor(
        file: string,
        private readonly now: () => Date = () => new Date(),
    ) {
        this.db = openSqlite(file, { synchronous: 'NORMAL' });
        this.db.exec(`CREATE TABLE IF NOT EXISTS bot_state (
            key TEXT PRIMARY KEY,
            etag TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        )`);
        this.select = this.db.prepare('SELECT data, etag FROM bot_state WHERE key = ?');
        this.upsert = this.db.prepare(
            `INSERT INTO bot_state (key, etag, data, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at`,
        );
        this.remove = this.db.prepare('DELETE FROM bot_state WHERE key = ?');
    }

    async read(keys: string[]): Promise<StoreItems> {
        const items: StoreItems = {};
        for (const key of keys) {
            const row = this.select.get(key);
            if (row) items[key] = { ...(JSON.parse(row.data) as object), eTag: row.etag };
        }
        return items;
    }

    async write(changes: StoreItems): Promise<void> {
        const now = this.now().getTime();
        // One transaction: either every change lands or none does.
        this.db.transaction(() => {
            for (const [key, item] of Object.entries(changes)) {
                const { eTag, ...data } = (item ?? {}) as { eTag?: string };
                if (eTag && eTag !== '*') {
                    const current = this.select.get(key);
                    if (current && current.etag !== eTag) throw new StorageConflictError(key);
                }
                this.upsert.run(key, randomUUID(), JSON.stringify(data), now);
            }
        })();
    }

    async delete(keys: string[]): Promise<void> {
        for (const key of keys) this.remove.run(key);
    }

    async deleteIdleSince(before: Date): Promise<number> {
        return this.db.prepare('DELETE FROM bot_state WHERE updated_at < ?').run(before.getTime()).changes;
    }

    async isReachable(): Promise<boolean> {
        try {
            return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
        } catch {
            return false;
        }
    }

    async close(): Promise<void> {
        if (this.db.open) this.db.close();
    }
}
