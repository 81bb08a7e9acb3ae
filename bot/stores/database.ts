import path from 'node:path';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { createPostgresPool } from './createPostgresPool';
import { migratePostgres } from './postgresMigrations';

/**
 * Where everything lasting is kept: one SQLite file (the embedded default, one instance), or one PostgreSQL
 * database shared by every instance through a single connection pool per instance.
 */
export type Database =
    | { readonly kind: 'sqlite'; readonly file: string }
    | { readonly kind: 'postgres'; readonly pool: Pool; readonly url: string };

/** An open database, and how to release it once every store on it is closed. */
export type OpenDatabase = Database & { close(): Promise<void> };

/**
 * Opens the configured database: PostgreSQL when `databaseUrl` is set (its schema brought up to date, one
 * instance at a time), else the SQLite file in `dataDir` (each store creates its own tables).
 */
export async function openDatabase(
    config: Pick<Config, 'databaseUrl' | 'dataDir'> & { readonly databasePoolSize?: number },
): Promise<OpenDatabase> {
    if (!config.databaseUrl) {
        return { kind: 'sqlite', file: path.join(config.dataDir, 'assistant.sqlite'), close: async () => undefined };
    }
    const pool = createPostgresPool(config.databaseUrl, { max: config.databasePoolSize ?? 10 });
    try {
        await migratePostgres(pool);
    } catch (error) {
        await pool.end();
        throw error;
    }
    return { kind: 'postgres', pool, url: config.databaseUrl, close: () => pool.end() };
}
