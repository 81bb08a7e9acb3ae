import { randomBytes } from 'node:crypto';
import { createPostgresPool } from '../../bot/stores/createPostgresPool';
import { isLoopbackHost, SoakUsageError } from './options';

/** A schema of the soak's own on a local PostgreSQL, so the run starts empty and leaves nothing behind. */
export interface SoakSchema {
    /** The database URL with the schema as its search path, for the service's DATABASE_URL. */
    readonly url: string;
    readonly name: string;
    drop(): Promise<void>;
}

/** Creates a fresh schema on the loopback PostgreSQL at `baseUrl`; refuses any other host. */
export async function createSoakSchema(baseUrl: string): Promise<SoakSchema> {
    const url = new URL(baseUrl);
    // A `host` parameter would take the connection elsewhere (a socket directory or another machine).
    if (!isLoopbackHost(url.hostname) || url.searchParams.has('host')) {
        throw new SoakUsageError(`DATABASE_URL: the soak uses a PostgreSQL on this machine only, not ${url.host}`);
    }
    const admin = createPostgresPool(baseUrl);
    const name = `soak_${process.pid}_${randomBytes(4).toString('hex')}`;
    try {
        await admin.query(`CREATE SCHEMA ${name}`);
    } catch (error) {
        await admin.end();
        url.password = '';
        throw new Error(`PostgreSQL is not reachable at ${url.href}: ${String(error)}`);
    }
    url.searchParams.set('options', `-c search_path=${name}`);
    let dropped = false;
    return {
        url: url.href,
        name,
        drop: async () => {
            if (dropped) return;
            dropped = true;
            try {
                await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
            } finally {
                await admin.end();
            }
        },
    };
}
