import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * What every connection to the service's SQLite file is set to: write-ahead logging (a crash mid-write leaves the
 * last commit; readers never wait for the writer), and `secure_delete`, so the bytes of a row that is deleted or
 * overwritten (a purged case, deleted conversation state, each earlier version of a case's transcript) are zeroed
 * in the file at once instead of staying readable in free space. It costs some extra writing on deletes; what is
 * deleted here is personal data. (`secure_delete` holds per connection, so every store sets it on its own.)
 */
export function configureSqlite(
    db: Database.Database,
    options: { readonly synchronous?: 'FULL' | 'NORMAL' } = {},
): void {
    db.pragma('journal_mode = WAL');
    if (options.synchronous) db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('secure_delete = ON');
}

/** Opens the service's SQLite file (making its folder first), set up as `configureSqlite` says. */
export function openSqlite(
    file: string,
    options: { readonly synchronous?: 'FULL' | 'NORMAL' } = {},
): Database.Database {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    configureSqlite(db, options);
    return db;
}

/** What `eraseSqliteLeftovers` did. */
export interface SqliteErasure {
    /** The file was rebuilt (VACUUM): the first purge since it was written with `secure_delete`. */
    readonly vacuumed: boolean;
    /** The write-ahead log was checkpointed into the file and cut to nothing. */
    readonly walTruncated: boolean;
}

// Recorded in the file once it has been rebuilt, so the rebuild happens once.
const rebuiltMarker = 'secure-delete-vacuum';

/**
 * After a purge: leaves no deleted bytes readable in the SQLite file or beside it.
 *
 * - Rows deleted or overwritten by connections with `secure_delete` (every store's) are already zeroed. A file last
 *   written without it (by a release before it was set) still holds old rows' bytes in free space, so the first
 *   purge rebuilds it with VACUUM, once (the file then records that it was). VACUUM holds the write lock while it
 *   runs (about 2 s for a 400 MB file where this was built; the service's writes wait up to 5 s, then fail).
 * - The write-ahead log (`-wal`) keeps copies of pages as they were, deleted rows included, until overwritten; it is
 *   checkpointed into the file and truncated to nothing (TRUNCATE waits for readers and writers to finish, then the
 *   service's next write starts a fresh log). The `-shm` file holds only an index of the log, never row data.
 *
 * Outside this service's reach: copies in backups, and blocks the file system has freed but not overwritten.
 */
export function eraseSqliteLeftovers(db: Database.Database, now: Date = new Date()): SqliteErasure {
    db.exec('CREATE TABLE IF NOT EXISTS maintenance (name TEXT PRIMARY KEY, done_at TEXT NOT NULL)');
    const rebuilt = db.prepare('SELECT 1 FROM maintenance WHERE name = ?').get(rebuiltMarker) !== undefined;
    if (!rebuilt) {
        db.exec('VACUUM');
        db.prepare('INSERT INTO maintenance (name, done_at) VALUES (?, ?)').run(rebuiltMarker, now.toISOString());
    }
    let walTruncated = false;
    for (let attempt = 0; attempt < 3 && !walTruncated; attempt++) {
        const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
        walTruncated = result?.busy === 0;
    }
    return { vacuumed: !rebuilt, walTruncated };
}
