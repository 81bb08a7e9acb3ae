/**
 * Removes the personal content of cases older than CASE_RETENTION_DAYS (default 180), keeping what reports need,
 * the state of conversations idle for CONVERSATION_RETENTION_HOURS (default 24), insight events older than
 * INSIGHT_RETENTION_DAYS (default 400), and the built-in Direct Line's expired conversations (an hour idle or a
 * day old, as the service itself forgets them each minute); then makes sure what was deleted cannot be read back
 * from the database's files (SQLite: zeroed as deleted, the write-ahead log truncated; PostgreSQL: the tables
 * rewritten):
 *   npm run purge
 * Run it daily (cron, a systemd timer) at a quiet hour; a case is purged once, so running it again is harmless.
 * Exit code 1 when something could not be done (the message says what); running it again retries.
 */
import 'dotenv/config';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../bot/config';
import { createInsightStore } from '../bot/insight/createInsightStore';
import { createCaseStore } from '../bot/stores/createCaseStore';
import { createStateStorage } from '../bot/stores/createStateStorage';
import { openDatabase, type Database as ServiceDatabase } from '../bot/stores/database';
import { rewritePostgresTables, tablesWithResidentsWords } from '../bot/stores/postgresErasure';
import { configureSqlite, eraseSqliteLeftovers } from '../bot/stores/sqliteFile';
import { deleteExpiredDirectLine } from '../bot/channels/directLine/postgresDirectLineStore';
import { SqliteDirectLineStore } from '../bot/channels/directLine/sqliteDirectLineStore';
import { directLineLimits } from '../bot/channels/directLine/registerDirectLine';

const hour = 60 * 60 * 1000;
const day = 24 * hour;

/**
 * Leaves none of what the purge (or the service before it) deleted readable in the database's files; returns the
 * exit code. `insightDeleted`: insight events are only ever deleted by the purge, so their table needs rewriting
 * on PostgreSQL only when it deleted some.
 */
async function erase(database: ServiceDatabase, insightDeleted: boolean): Promise<number> {
    if (database.kind === 'postgres') {
        const tables = [...tablesWithResidentsWords, ...(insightDeleted ? ['insight_events'] : [])];
        await rewritePostgresTables(database.pool, tables);
        process.stdout.write(`Rewrote ${tables.join(', ')} (VACUUM FULL), so deleted rows leave no copies.\n`);
        return 0;
    }
    const db = new Database(database.file);
    try {
        configureSqlite(db);
        const done = eraseSqliteLeftovers(db);
        if (done.vacuumed) process.stdout.write('Rebuilt the SQLite file (VACUUM), once, to clear older free space.\n');
        if (!done.walTruncated) {
            process.stderr.write(
                'The SQLite write-ahead log could not be truncated (the database stayed busy): run the purge again.\n',
            );
            return 1;
        }
        return 0;
    } finally {
        db.close();
    }
}

/** Deletes the built-in Direct Line's conversations (and their activities) that have expired; returns how many. */
async function deleteExpiredDirectLineConversations(database: ServiceDatabase): Promise<number> {
    if (database.kind === 'postgres') {
        return (await deleteExpiredDirectLine(database.pool, directLineLimits, Date.now())).length;
    }
    // With no streams of its own, the store's sweep deletes exactly what has expired (the running service marks
    // the conversations it streams as in use each minute).
    const store = new SqliteDirectLineStore(database.file, directLineLimits);
    try {
        return await store.sweep();
    } finally {
        await store.close();
    }
}

async function main(): Promise<number> {
    const config = loadConfig();
    const database = await openDatabase(config);
    const store = await createCaseStore(database);
    let insightDeleted = false;
    try {
        const before = new Date(Date.now() - config.caseRetentionDays * day);
        const count = await store.purge(before);
        process.stdout.write(
            `Purged ${count} case${count === 1 ? '' : 's'} created before ${before.toISOString()} ` +
                `(retention ${config.caseRetentionDays} days).\n`,
        );
        const insight = await createInsightStore(database);
        try {
            const eventsBefore = new Date(Date.now() - config.insightRetentionDays * day);
            const events = await insight.purge(eventsBefore);
            insightDeleted = events > 0;
            process.stdout.write(
                `Deleted ${events} insight event${events === 1 ? '' : 's'} from before ${eventsBefore.toISOString()} ` +
                    `(retention ${config.insightRetentionDays} days).\n`,
            );
        } finally {
            await insight.close();
        }
        const storage = await createStateStorage(database);
        try {
            const idleSince = new Date(Date.now() - config.conversationRetentionHours * hour);
            const conversations = await storage.deleteIdleSince(idleSince);
            process.stdout.write(
                `Deleted the state of ${conversations} conversation item${conversations === 1 ? '' : 's'} idle since ` +
                    `${idleSince.toISOString()} (retention ${config.conversationRetentionHours} hours).\n`,
            );
        } finally {
            await storage.close();
        }
        // The service forgets them every minute; this covers a time when it is not running.
        const gone = await deleteExpiredDirectLineConversations(database);
        process.stdout.write(`Deleted ${gone} expired Direct Line conversation${gone === 1 ? '' : 's'}.\n`);
        return await erase(database, insightDeleted);
    } finally {
        await store.close();
        await database.close();
    }
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof ConfigError ? error.message : `Purge failed: ${String(error)}`}\n`);
        process.exit(1);
    },
);
