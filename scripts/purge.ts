/**
 * Removes the personal content of cases older than CASE_RETENTION_DAYS (default 180), keeping what reports need,
 * the state of conversations idle for CONVERSATION_RETENTION_HOURS (default 24), and insight events older than
 * INSIGHT_RETENTION_DAYS (default 400):
 *   npm run purge
 * Run it daily (cron, a systemd timer); a case is purged once, so running it again is harmless.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from '../bot/config';
import { createInsightStore } from '../bot/insight/createInsightStore';
import { createCaseStore } from '../bot/stores/createCaseStore';
import { createStateStorage } from '../bot/stores/createStateStorage';
import { openDatabase } from '../bot/stores/database';
import { deleteExpiredDirectLine } from '../bot/channels/directLine/postgresDirectLineStore';
import { directLineLimits } from '../bot/channels/directLine/registerDirectLine';

const hour = 60 * 60 * 1000;
const day = 24 * hour;

async function main(): Promise<number> {
    const config = loadConfig();
    const database = await openDatabase(config);
    const store = await createCaseStore(database);
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
        if (database.kind === 'postgres') {
            // Instances forget them every minute; this covers a time when none is running.
            const gone = await deleteExpiredDirectLine(database.pool, directLineLimits, Date.now());
            process.stdout.write(
                `Deleted ${gone.length} expired Direct Line conversation${gone.length === 1 ? '' : 's'}.\n`,
            );
        }
        return 0;
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
