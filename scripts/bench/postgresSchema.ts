import { randomBytes } from 'node:crypto';
import { createPostgresPool } from '../../bot/stores/createPostgresPool';

/** The benchmark's PostgreSQL (DATABASE_URL, or the local test database the test suite uses too). */
export const benchDatabaseUrl = process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/test';

/**
 * A schema of the benchmark's own, so its tables never meet the tests' or an earlier run's: `url` points
 * connections at it (search_path), `drop` removes it and everything in it.
 */
export async function createBenchSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
    const admin = createPostgresPool(benchDatabaseUrl, { max: 1 });
    const schema = `bench_${process.pid}_${randomBytes(4).toString('hex')}`;
    try {
        await admin.query(`CREATE SCHEMA ${schema}`);
    } catch (error) {
        await admin.end();
        const where = new URL(benchDatabaseUrl);
        where.password = '';
        throw new Error(`PostgreSQL is not reachable at ${where.href}: start it or set DATABASE_URL (${error})`);
    }
    const url = new URL(benchDatabaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return {
        url: url.href,
        drop: async () => {
            await admin.query(`DROP SCHEMA ${schema} CASCADE`);
            await admin.end();
        },
    };
}
