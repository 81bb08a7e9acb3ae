import { randomUUID } from 'node:crypto';
import type { StoreItems } from 'botbuilder';
import type { Pool, PoolClient } from 'pg';
import { toContentJson } from './caseRecord';
import { createPostgresPool, inTransaction } from './createPostgresPool';
import { migratePostgres } from './postgresMigrations';
import { StorageConflictError, type StateStorage } from './stateStorage';

/**
 * Bot Framework state in PostgreSQL, shared by every instance: a conversation's turns may land on any of them.
 * A write with an eTag is a compare-and-set on that eTag, so two instances racing on one conversation cannot both
 * win; the loser gets `StorageConflictError` and its turn is retried.
 */
export class PostgresStorage implements StateStorage {
    private closed = false;

    private constructor(
        private readonly pool: Pool,
        private readonly ownsPool: boolean,
        private readonly now: () => Date,
    ) {}

    /** Uses a pool it is given (and leaves it open on close), or makes its own from a URL; brings the schema up to date. */
    static async create(
        connection: Pool | string,
        options: { readonly now?: () => Date } = {},
    ): Promise<PostgresStorage> {
        const owns = typeof connection === 'string';
        const storage = new PostgresStorage(
            owns ? createPostgresPool(connection) : connection,
            owns,
            options.now ?? (() => new Date()),
        );
        try {
            await migratePostgres(storage.pool);
        } catch (error) {
            await storage.close();
            throw error;
        }
        return storage;
    }

    async read(keys: string[]): Promise<StoreItems> {
        if (keys.length === 0) return {};
        const { rows } = await this.pool.query<{ key: string; etag: string; data: object }>(
            'SELECT key, etag, data FROM bot_state WHERE key = ANY($1::text[])',
            [keys],
        );
        const items: StoreItems = {};
        for (const row of rows) items[row.key] = { ...row.data, eTag: row.etag };
        return items;
    }

    async write(changes: StoreItems): Promise<void> {
        const entries = Object.entries(changes);
        const now = this.now();
        // A turn saves one item at a time: a single statement, with no transaction around it.
        if (entries.length <= 1) {
            for (const [key, item] of entries) await this.writeItem(this.pool, key, item, now);
            return;
        }
        // One transaction: either every change lands or none does.
        await inTransaction(this.pool, async (client) => {
            for (const [key, item] of entries) await this.writeItem(client, key, item, now);
        });
    }

    private async writeItem(client: Pool | PoolClient, key: string, item: unknown, now: Date): Promise<void> {
        const { eTag, ...data } = (item ?? {}) as { eTag?: string };
        const values = [key, randomUUID(), toContentJson(data), now];
        const upsert = `INSERT INTO bot_state AS s (key, etag, data, updated_at) VALUES ($1, $2, $3::jsonb, $4)
            ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at`;
        if (!eTag || eTag === '*') {
            await client.query(upsert, values);
            return;
        }
        // Compare-and-set on the eTag; an item that has gone since it was read is written afresh.
        const { rowCount } = await client.query(`${upsert} WHERE s.etag = $5`, [...values, eTag]);
        if (rowCount === 0) throw new StorageConflictError(key);
    }

    async delete(keys: string[]): Promise<void> {
        if (keys.length > 0) await this.pool.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
    }

    async deleteIdleSince(before: Date): Promise<number> {
        const { rowCount } = await this.pool.query('DELETE FROM bot_state WHERE updated_at < $1', [before]);
        return rowCount ?? 0;
    }

    async isReachable(): Promise<boolean> {
        try {
            await this.pool.query('SELECT 1');
            return true;
        } catch {
            return false;
        }
    }

    async close(): Promise<void> {
        if (this.ownsPool && !this.closed) await this.pool.end();
        this.closed = true;
    }
}
