import type { Activity } from 'botbuilder';
import type { Pool } from 'pg';
import type { Logger } from '../../logger';
import { toContentJson } from '../../stores/caseRecord';
import type { Signals } from '../../stores/signals';
import type { ActivityListener, ConversationLimits, DirectLineConversation, DirectLineStore } from './directLineStore';
import type { DirectLineGrant } from './directLineTokens';
import { ConversationStreams } from './conversationStreams';

interface ConversationRow {
    id: string;
    user_id: string;
    site: string | null;
    started: boolean;
    watermark: number;
}

interface Listening {
    readonly listener: ActivityListener;
    readonly evict: () => void;
    /** The watermark this listener has been given everything up to. */
    delivered: number;
}

const toConversation = (row: ConversationRow): DirectLineConversation => ({
    id: row.id,
    userId: row.user_id,
    ...(row.site !== null && { site: row.site }),
    started: row.started,
    watermark: row.watermark,
});

/**
 * Deletes conversations (and their activities) idle beyond the limit or older than the maximum age; returns their
 * ids. Instances do it every minute; `npm run purge` too, in case none is running.
 */
export async function deleteExpiredDirectLine(
    pool: Pool,
    limits: Pick<ConversationLimits, 'idleMs' | 'maxAgeMs'>,
    now: number,
): Promise<string[]> {
    const { rows } = await pool.query<{ id: string }>(
        'DELETE FROM directline_conversations WHERE last_active < $1 OR created_at < $2 RETURNING id',
        [new Date(now - limits.idleMs), new Date(now - limits.maxAgeMs)],
    );
    return rows.map((row) => row.id);
}

/**
 * The built-in Direct Line's conversations in PostgreSQL, for several instances: a conversation's requests may
 * land on any instance. Each added activity is signalled (its conversation id on the `directline` channel), and an
 * instance holding a stream for that conversation reads what is new and sends it, so a reply produced on one
 * instance reaches a WebSocket held by another. Streams count towards the per-conversation limit per instance.
 */
export class PostgresDirectLineStore implements DirectLineStore {
    private readonly listeners: ConversationStreams<Listening>;
    /** Per conversation, the read in progress: reads never overlap, and one requested meanwhile runs after it. */
    private readonly pumping = new Map<string, { again: boolean }>();
    private readonly stopSignals: (() => void)[];

    constructor(
        private readonly pool: Pool,
        private readonly signals: Signals,
        private readonly limits: ConversationLimits,
        private readonly log: Logger,
        private readonly now: () => number = Date.now,
    ) {
        this.listeners = new ConversationStreams(limits.streamsPerConversation);
        this.stopSignals = [
            signals.subscribe('directline', (id) => this.pump(id)),
            // After a lost connection, every stream here reads what it may have missed.
            signals.onResume(() => {
                for (const id of this.listeners.ids()) this.pump(id);
            }),
        ];
    }

    async open(grant: DirectLineGrant): Promise<DirectLineConversation> {
        const now = new Date(this.now());
        const { rows } = await this.pool.query<ConversationRow>(
            `INSERT INTO directline_conversations (id, user_id, site, created_at, last_active)
             VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (id) DO UPDATE SET last_active = excluded.last_active
             RETURNING id, user_id, site, started, watermark`,
            [grant.conversationId, grant.userId, grant.site ?? null, now],
        );
        return toConversation(rows[0] as ConversationRow);
    }

    async get(id: string): Promise<DirectLineConversation | undefined> {
        const { rows } = await this.pool.query<ConversationRow>(
            'SELECT id, user_id, site, started, watermark FROM directline_conversations WHERE id = $1',
            [id],
        );
        return rows[0] && toConversation(rows[0]);
    }

    async touch(id: string): Promise<boolean> {
        const { rowCount } = await this.pool.query(
            'UPDATE directline_conversations SET last_active = $2 WHERE id = $1',
            [id, new Date(this.now())],
        );
        return (rowCount ?? 0) > 0;
    }

    async markStarted(id: string, started: boolean): Promise<boolean> {
        const { rowCount } = await this.pool.query(
            'UPDATE directline_conversations SET started = $2 WHERE id = $1 AND started <> $2',
            [id, started],
        );
        return (rowCount ?? 0) > 0;
    }

    async add(id: string, activity: Partial<Activity>): Promise<string | undefined> {
        const now = new Date(this.now());
        // One statement: the conversation's row lock orders concurrent adds, and the oldest beyond the limit go.
        const { rows } = await this.pool.query<{ id: string }>(
            `WITH bumped AS (
                 UPDATE directline_conversations SET watermark = watermark + 1, last_active = $3
                 WHERE id = $1 RETURNING id, watermark
             ), stored AS (
                 INSERT INTO directline_activities (conversation_id, watermark, activity)
                 SELECT id, watermark, $2::jsonb || jsonb_build_object(
                     'id', id || '|' || lpad(watermark::text, 7, '0'),
                     'conversation', jsonb_build_object('id', id),
                     'timestamp', $4::text)
                 FROM bumped
             ), trimmed AS (
                 DELETE FROM directline_activities a USING bumped b
                 WHERE a.conversation_id = b.id AND a.watermark <= b.watermark - $5
             )
             SELECT id || '|' || lpad(watermark::text, 7, '0') AS id FROM bumped`,
            [id, toContentJson(activity), now, now.toISOString(), this.limits.activities],
        );
        const added = rows[0]?.id;
        if (added) {
            await this.signals.publish('directline', id).catch((error: unknown) => {
                // The activity is stored: a poll or a reconnecting stream gets it even if this signal is lost.
                this.log.warn('directline.signal_failed', { error });
            });
        }
        return added;
    }

    async since(id: string, watermark: number): Promise<{ activities: Partial<Activity>[]; watermark: number }> {
        const { rows } = await this.pool.query<{ latest: number; activity: Partial<Activity> | null }>(
            `SELECT c.watermark AS latest, a.activity
             FROM directline_conversations c
             LEFT JOIN directline_activities a ON a.conversation_id = c.id AND a.watermark > $2
             WHERE c.id = $1 ORDER BY a.watermark`,
            [id, watermark],
        );
        return {
            activities: rows.flatMap((row) => (row.activity ? [row.activity] : [])),
            watermark: rows[0]?.latest ?? watermark,
        };
    }

    listen(id: string, from: number, listener: ActivityListener, evict: () => void): () => void {
        const stop = this.listeners.add(id, { listener, evict, delivered: from });
        // Registered first, then read: an activity added meanwhile is picked up by this read or the next.
        this.pump(id);
        return stop;
    }

    async sweep(): Promise<number> {
        const now = this.now();
        // A conversation with a stream open here is in use, whatever its last request.
        const held = this.listeners.ids();
        if (held.length > 0) {
            await this.pool.query('UPDATE directline_conversations SET last_active = $2 WHERE id = ANY($1::text[])', [
                held,
                new Date(now),
            ]);
        }
        const gone = await deleteExpiredDirectLine(this.pool, this.limits, now);
        for (const id of gone) this.listeners.close(id);
        return gone.length;
    }

    async close(): Promise<void> {
        for (const stop of this.stopSignals) stop();
        this.listeners.close();
    }

    /** Reads what is new for this instance's listeners of the conversation and sends it to each. */
    private pump(id: string): void {
        if (!this.listeners.has(id)) return;
        const running = this.pumping.get(id);
        if (running) {
            running.again = true;
            return;
        }
        const state = { again: true };
        this.pumping.set(id, state);
        void (async () => {
            try {
                while (state.again) {
                    state.again = false;
                    const list = this.listeners.of(id);
                    if (list.length === 0) break;
                    const from = Math.min(...list.map((l) => l.delivered));
                    const { rows } = await this.pool.query<{ watermark: number; activity: Partial<Activity> }>(
                        `SELECT watermark, activity FROM directline_activities
                         WHERE conversation_id = $1 AND watermark > $2 ORDER BY watermark`,
                        [id, from],
                    );
                    for (const listening of this.listeners.of(id)) {
                        const fresh = rows.filter((row) => row.watermark > listening.delivered);
                        const last = fresh.at(-1);
                        if (!last) continue;
                        listening.delivered = last.watermark;
                        listening.listener(
                            fresh.map((row) => row.activity),
                            last.watermark,
                        );
                    }
                }
            } catch (error) {
                this.log.warn('directline.read_failed', { error });
            } finally {
                this.pumping.delete(id);
            }
        })();
    }
}
