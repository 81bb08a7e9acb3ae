/**
 * Brings the PostgreSQL schema (DATABASE_URL) up to date and says what it applied:
 *   npm run db:migrate
 * Every instance also does this at start-up, one at a time; running it first lets a deployment fail early on a
 * database it cannot change, before any instance starts. With no DATABASE_URL there is nothing to migrate: the
 * SQLite file creates its tables itself.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from '../bot/config';
import { createPostgresPool } from '../bot/stores/createPostgresPool';
import { migratePostgres, postgresMigrations } from '../bot/stores/postgresMigrations';

async function main(): Promise<number> {
    const config = loadConfig();
    if (!config.databaseUrl) {
        process.stdout.write('DATABASE_URL is not set: the SQLite file needs no migration.\n');
        return 0;
    }
    const pool = createPostgresPool(config.databaseUrl, { max: 1 });
    try {
        const applied = await migratePostgres(pool);
        const latest = postgresMigrations.at(-1)?.version ?? 0;
        for (const version of applied) {
            const migration = postgresMigrations.find((m) => m.version === version);
            process.stdout.write(`Applied ${version}: ${migration?.name}\n`);
        }
        process.stdout.write(
            applied.length === 0
                ? `The schema is up to date (version ${latest}).\n`
                : `The schema is now at version ${latest}.\n`,
        );
        return 0;
    } finally {
        await pool.end();
    }
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(
            `${error instanceof ConfigError ? error.message : `Migration failed: ${String(error)}`}\n`,
        );
        process.exit(1);
    },
);
