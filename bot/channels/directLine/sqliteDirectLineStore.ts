import type { Activity } from 'botbuilder';
import type Database from 'better-sqlite3';
import { toContentJson } from '../../stores/caseRecord';
import { openSqlite } from '../../stores/sqliteFile';
import {
    activityId,
    type ActivityListener,
    type ConversationLimits,
    type DirectLineConversation,
    type DirectLineStore,
} from './directLineStore';
import type { DirectLineGrant } from './directLineTokens';
import { ConversationStreams } from './conversationStreams';

interface ConversationRow {
    id: string;
    user_id: string;
    site: string | null;
    started: number;
    watermark: number;
}

interface Listening {
    readonly listener: ActivityListener;
    /** Closes the connection behind the listener (when it is evicted). */
    readonly evict: () => void;
}

const toConversation = (row: ConversationRow): DirectLineConversation => ({
    id: row.id,
    userId: row.user_id,
    ...(row.site !== null && { site: row.site }),
    started: row.started === 1,
    watermark: row.watermark,
});

/** The bytes of activity JSON kept in all, by default: beyond it the conversations idle longest go. */
export const defaultDirectLineBytes = 64 * 1024 * 1024;

/**
 * The built-in Direct Line's conversations in the service's SQLite file, for one instance: a restart keeps them,
 * so a page reconnects to its conversation with the token it has and sees what was sent meanwhile. Streams are this
 * process's own (nobody else writes the file while the service runs, so no signals are needed); listeners hear an
 * activity as soon as it is committed. Besides the per-conversation limits, all activities together stay within
 * `maxBytes` bytes of JSON (no flood of conversations can fill the disk the cases need): beyond it the conversation idle
 * longest is forgotten. Forgotten and trimmed rows are zeroed in the file as they are deleted (`secure_delete`).
 */
export class SqliteDirectLineStore implements DirectLineStore {
    private readonly db: Database.Database;
    private readonly statements;
    private readonly listeners: ConversationStreams<Listening>;
    /** The bytes of JSON all activities hold: read from the file at start and at each sweep (after a purge). */
    private size: number;

    constructor(
        file: string,
        private readonly limits: ConversationLimits,
        private readonly now: () => number = Date.now,
        private readonly maxBytes = defaultDirectLineBytes,
    ) {
        this.listeners = new ConversationStreams(limits.streamsPerConversation);
        // NORMAL, as for conversation state: what a power cut may lose here is a page's recent lines, not a case.
        this.db = openSqlite(file, { synchronous: 'NORMAL' });
        // Times are milliseconds since the epoch. Activities are deleted with their conversation explicitly (the
        // purge's own connection must not depend on foreign key settings).
        this.db.exec(`CREATE TABLE IF NOT EXISTS directline_conversations (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            site TEXT,
            started INTEGER NOT NULL DEFAULT 0,
            watermark INTEGER NOT NULL DEFAULT 0,
            size INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            last_active INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS directline_conversations_last_active ON directline_conversations (last_active);
        CREATE INDEX IF NOT EXISTS directline_conversations_created_at ON directline_conversations (created_at);
        CREATE TABLE IF NOT EXISTS directline_activities (
            conversation_id TEXT NOT NULL,
            watermark INTEGER NOT NULL,
            size INTEGER NOT NULL,
            activity TEXT NOT NULL,
            PRIMARY KEY (conversation_id, watermark)
        )`);
        this.statements = {
            exists: this.db.prepare<[string], { id: string }>('SELECT id FROM directline_conversations WHERE id = ?'),
            count: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM directline_conversations'),
            // rowid breaks ties between conversations last used in the same millisecond.
            longestIdle: this.db.prepare<[string], { id: string }>(
                'SELECT id FROM directline_conversations WHERE id <> ? ORDER BY last_active, rowid LIMIT 1',
            ),
            open: this.db.prepare<[{ id: string; user: string; site: string | null; now: number }], ConversationRow>(
                `INSERT INTO directline_conversations (id, user_id, site, created_at, last_active)
                 VALUES (@id, @user, @site, @now, @now)
                 ON CONFLICT (id) DO UPDATE SET last_active = excluded.last_active
                 RETURNING id, user_id, site, started, watermark`,
            ),
            get: this.db.prepare<[string], ConversationRow>(
                'SELECT id, user_id, site, started, watermark FROM directline_conversations WHERE id = ?',
            ),
            touch: this.db.prepare<[number, string]>(
                'UPDATE directline_conversations SET last_active = ? WHERE id = ?',
            ),
            markStarted: this.db.prepare<[{ id: string; started: number }]>(
                'UPDATE directline_conversations SET started = @started WHERE id = @id AND started <> @started',
            ),
            bump: this.db.prepare<[number, string], { watermark: number }>(
                `UPDATE directline_conversations SET watermark = watermark + 1, last_active = ?
                 WHERE id = ? RETURNING watermark`,
            ),
            insertActivity: this.db.prepare<[string, number, number, string]>(
                'INSERT INTO directline_activities (conversation_id, watermark, size, activity) VALUES (?, ?, ?, ?)',
            ),
            trim: this.db.prepare<[string, number], { size: number }>(
                'DELETE FROM directline_activities WHERE conversation_id = ? AND watermark <= ? RETURNING size',
            ),
            resize: this.db.prepare<[number, string]>(
                'UPDATE directline_conversations SET size = size + ? WHERE id = ?',
            ),
            since: this.db.prepare<[{ id: string; watermark: number }], { latest: number; activity: string | null }>(
                `SELECT c.watermark AS latest, a.activity FROM directline_conversations c
                 LEFT JOIN directline_activities a ON a.conversation_id = c.id AND a.watermark > @watermark
                 WHERE c.id = @id ORDER BY a.watermark`,
            ),
            expired: this.db.prepare<[number, number], { id: string }>(
                'SELECT id FROM directline_conversations WHERE last_active < ? OR created_at < ?',
            ),
            deleteActivities: this.db.prepare<[string]>('DELETE FROM directline_activities WHERE conversation_id = ?'),
            deleteConversation: this.db.prepare<[string], { size: number }>(
                'DELETE FROM directline_conversations WHERE id = ? RETURNING size',
            ),
            total: this.db.prepare<[], { total: number }>(
                'SELECT coalesce(sum(size), 0) AS total FROM directline_conversations',
            ),
        };
        this.size = this.statements.total.get()?.total ?? 0;
    }

    async open(grant: DirectLineGrant): Promise<DirectLineConversation> {
        const { row, forgotten } = this.db.transaction(() => {
            // At the limit, a new conversation takes the place of the one idle longest.
            const isNew = this.statements.exists.get(grant.conversationId) === undefined;
            const full = isNew && (this.statements.count.get()?.n ?? 0) >= this.limits.conversations;
            const gone = full ? this.statements.longestIdle.get(grant.conversationId)?.id : undefined;
            const freed = gone === undefined ? 0 : this.deleteRows(gone);
            const opened = this.statements.open.get({
                id: grant.conversationId,
                user: grant.userId,
                site: grant.site ?? null,
                now: this.now(),
            }) as ConversationRow;
            return { row: opened, forgotten: gone && { id: gone, freed } };
        })();
        if (forgotten) {
            this.size -= forgotten.freed;
            this.listeners.close(forgotten.id);
        }
        return toConversation(row);
    }

    async get(id: string): Promise<DirectLineConversation | undefined> {
        const row = this.statements.get.get(id);
        return row && toConversation(row);
    }

    async touch(id: string): Promise<boolean> {
        return this.statements.touch.run(this.now(), id).changes > 0;
    }

    async markStarted(id: string, started: boolean): Promise<boolean> {
        return this.statements.markStarted.run({ id, started: started ? 1 : 0 }).changes > 0;
    }

    async add(id: string, activity: Partial<Activity>): Promise<string | undefined> {
        const now = this.now();
        // One transaction: the next watermark, the activity, and the oldest beyond the limit dropped.
        const added = this.db.transaction(() => {
            const bumped = this.statements.bump.get(now, id);
            if (!bumped) return undefined;
            const json = toContentJson({
                ...activity,
                id: activityId(id, bumped.watermark),
                conversation: { id },
                timestamp: new Date(now).toISOString(),
            });
            // Bytes, as the file holds them (UTF-8), not characters: the budget bounds the file.
            const bytes = Buffer.byteLength(json);
            this.statements.insertActivity.run(id, bumped.watermark, bytes, json);
            const trimmed = this.statements.trim
                .all(id, bumped.watermark - this.limits.activities)
                .reduce((sum, row) => sum + row.size, 0);
            this.statements.resize.run(bytes - trimmed, id);
            return { watermark: bumped.watermark, json, grown: bytes - trimmed };
        })();
        if (!added) return undefined;
        this.size += added.grown;
        // Over budget: the conversations idle longest go (never the one just added to).
        while (this.size > this.maxBytes) {
            const oldest = this.statements.longestIdle.get(id);
            if (!oldest) break;
            this.forget(oldest.id);
        }
        // As a poll or a reconnecting stream would read it back.
        const stored = JSON.parse(added.json) as Partial<Activity>;
        for (const { listener } of this.listeners.of(id)) listener([stored], added.watermark);
        return stored.id;
    }

    async since(id: string, watermark: number): Promise<{ activities: Partial<Activity>[]; watermark: number }> {
        return this.sinceNow(id, watermark);
    }

    listen(id: string, from: number, listener: ActivityListener, evict: () => void): () => void {
        // Synchronous catch-up then registration: no activity can be added in between.
        const missed = this.sinceNow(id, from);
        if (missed.activities.length > 0) listener(missed.activities, missed.watermark);
        return this.listeners.add(id, { listener, evict });
    }

    async sweep(): Promise<number> {
        const now = this.now();
        const gone = this.db
            .transaction(() => {
                // A conversation with a stream open here is in use, whatever its last request (and the purge,
                // which has no streams, sees it so).
                for (const id of this.listeners.ids()) this.statements.touch.run(now, id);
                const expired = this.statements.expired.all(now - this.limits.idleMs, now - this.limits.maxAgeMs);
                for (const { id } of expired) this.deleteRows(id);
                return expired.map((row) => row.id);
            })
            .immediate();
        for (const id of gone) this.listeners.close(id);
        // And streams of conversations deleted elsewhere (npm run purge, another sweep): told they ended.
        for (const id of this.listeners.ids()) if (!this.statements.exists.get(id)) this.listeners.close(id);
        this.size = this.statements.total.get()?.total ?? 0;
        return gone.length;
    }

    /** Closes the streams; the conversations stay in the file for the next start. */
    async close(): Promise<void> {
        this.listeners.close();
        if (this.db.open) this.db.close();
    }

    /** The bytes of JSON all activities hold. */
    get heldBytes(): number {
        return this.size;
    }

    private sinceNow(id: string, watermark: number): { activities: Partial<Activity>[]; watermark: number } {
        const rows = this.statements.since.all({ id, watermark });
        return {
            activities: rows.flatMap((row) =>
                row.activity === null ? [] : [JSON.parse(row.activity) as Partial<Activity>],
            ),
            watermark: rows[0]?.latest ?? watermark,
        };
    }

    /** Forgets a conversation now: its rows, and its streams here. */
    private forget(id: string): void {
        this.size -= this.db.transaction(() => this.deleteRows(id))();
        this.listeners.close(id);
    }

    /** Deletes a conversation and its activities (inside a transaction); returns the bytes they held. */
    private deleteRows(id: string): number {
        this.statements.deleteActivities.run(id);
        return this.statements.deleteConversation.get(id)?.size ?? 0;
    }
}
