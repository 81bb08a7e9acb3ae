import os from 'node:os';
import { Pool, type PoolConfig } from 'pg';

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
