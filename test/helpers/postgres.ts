import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { createPostgresPool } from '../../bot/stores/createPostgresPool';

// CI starts PostgreSQL (see .ci/run); locally it is expected at 127.0.0.1:5432, database `test`, trust auth.
export const databaseUrl = process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/test';

/**
 * Call inside a `describe`: checks PostgreSQL is reachable (failing clearly, never skipping) and returns
 * `freshSchema`, which gives each test a schema of its own so runs and tests never see each other's rows.
 */
export function usePostgres(prefix: string): {
    freshSchema: () => Promise<{ url: string; drop: () => Promise<void> }>;
} {
    let admin: Pool;

    before(async () => {
        admin = createPostgresPool(databaseUrl);
        try {
            await admin.query('SELECT 1');
        } catch (error) {
            await admin.end();
            const where = new URL(databaseUrl);
            where.password = '';
            throw new Error(`PostgreSQL is not reachable at ${where.href}: start it or set DATABASE_URL (${error})`);
        }
    });
    after(async () => admin?.end());

    const freshSchema = async () => {
        const schema = `${prefix}_${process.pid}_${randomBytes(6).toString('hex')}`;
        await admin.query(`CREATE SCHEMA ${schema}`);
        const url = new URL(databaseUrl);
        url.searchParams.set('options', `-c search_path=${schema}`);
        return { url: url.href, drop: async () => void (await admin.query(`DROP SCHEMA ${schema} CASCADE`)) };
    };
    return { freshSchema };
}
