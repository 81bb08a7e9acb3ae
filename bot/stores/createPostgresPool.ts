import os from 'node:os';
import { Pool, type PoolClient, type PoolConfig } from 'pg';

/** The connection string for a `postgres://` URL with, like libpq, the OS user when the URL and environment name none. */
export function postgresConnectionString(url: string): string {
    const connectionString = new URL(url);
    // node-postgres takes the default user from $USER only; services often run without it (systemd, containers).
    if (!connectionString.username && !process.env.PGUSER && !process.env.USER) {
        connectionString.username = os.userInfo().username;
    }
    return connectionString.href;
}

/** A connection pool for a `postgres://` URL, with a connect timeout. */
export function createPostgresPool(url: string, config: PoolConfig = {}): Pool {
    const pool = new Pool({
        connectionTimeoutMillis: 5000,
        ...config,
        connectionString: postgresConnectionString(url),
    });
    // An idle connection that drops (a database restart) emits 'error'; unhandled, that would end the process.
    // The next query reconnects or fails and is handled where it was made.
    pool.on('error', () => undefined);
    return pool;
}

/** Runs `work` in one transaction on a connection of its own: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let result: T;
    try {
        await client.query('BEGIN');
        result = await work(client);
        await client.query('COMMIT');
    } catch (error) {
        // A connection whose rollback failed is in an unknown state: drop it rather than return it to the pool.
        const broken = await client.query('ROLLBACK').then(
            () => undefined,
            (rollbackError: Error) => rollbackError,
        );
        client.release(broken);
        throw error;
    }
    client.release();
    return result;
}
