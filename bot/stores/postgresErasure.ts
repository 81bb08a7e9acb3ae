import type { Pool } from 'pg';

/** The tables holding residents' words, changed all day (not only by the purge): rewritten at every purge. */
export const tablesWithResidentsWords = [
    'cases',
    'bot_state',
    'directline_conversations',
    'directline_activities',
] as const;

/** A table could not be rewritten (its lock was not granted in time, or the service's user does not own it). */
export class TableRewriteError extends Error {
    constructor(
        readonly table: string,
        reason: string,
    ) {
        super(`${table} was not rewritten, so deleted rows may still be readable in its files: ${reason}`);
        this.name = 'TableRewriteError';
    }
}

/**
 * Rewrites each table (VACUUM FULL) so that the bytes of deleted and overwritten rows leave its files.
 *
 * Why FULL: PostgreSQL never overwrites a row in place. A delete or update leaves the old version (a dead tuple)
 * in the table's pages; plain VACUUM (and autovacuum) marks its space free for reuse but does not zero it, so the
 * bytes stay readable in the data files until a later row happens to land there (checked against PostgreSQL 15:
 * a deleted value was still in the file after VACUUM and CHECKPOINT, and gone after VACUUM FULL). VACUUM FULL
 * writes the live rows into new files, with their TOAST tables and indexes, and removes the old ones.
 *
 * The cost: each table is locked (ACCESS EXCLUSIVE) while it is rewritten, so every instance's queries on it wait
 * for that long (about 1.5 s for a 100 MB table where this was built): run the purge at a quiet hour. The lock is
 * asked for with a `lock_timeout` of 5 s, so a long transaction holding the table makes the rewrite give up
 * (TableRewriteError) instead of queueing every instance's queries behind it; running the purge again retries.
 * Plain VACUUM would take no such lock, but would not do what the purge promises.
 *
 * Outside this service's reach: PostgreSQL's write-ahead log (pg_wal) and any replicas or backups hold copies until
 * they are recycled or expire.
 */
export async function rewritePostgresTables(
    pool: Pool,
    tables: readonly string[],
    options: { readonly lockTimeoutMs?: number } = {},
): Promise<void> {
    const client = await pool.connect();
    // VACUUM skips a table it may not rewrite with only a warning: collected here, so that counts as a failure.
    const warnings: string[] = [];
    const onNotice = (notice: { message?: string }) => warnings.push(notice.message ?? '');
    client.on('notice', onNotice);
    try {
        await client.query(`SET lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs ?? 5000))}`);
        for (const table of tables) {
            if (!/^[a-z_]+$/.test(table)) throw new TableRewriteError(table, 'not a table name');
            warnings.length = 0;
            try {
                // Not in a transaction (VACUUM cannot be); ANALYZE refreshes the planner's statistics on the way.
                await client.query(`VACUUM (FULL, ANALYZE) ${table}`);
            } catch (error) {
                throw new TableRewriteError(table, (error as Error).message);
            }
            const skipped = warnings.find((w) => /skipping/i.test(w));
            if (skipped) throw new TableRewriteError(table, skipped);
        }
    } finally {
        client.off('notice', onNotice);
        // A connection that cannot even reset is dropped rather than returned to the pool.
        const broken = await client.query('RESET lock_timeout').then(
            () => undefined,
            (error: Error) => error,
        );
        client.release(broken);
    }
}
