import type { Pool, PoolClient } from 'pg';
import type { Case, CaseOutcome, CasePriority, CaseStatus, ChatState, NewCase, TranscriptEntry } from '../handoff/case';
import type { CaseStore } from './caseStore';
import { createPostgresPool, inTransaction } from './createPostgresPool';
import type { DeliveryTransport } from './outbox';
import { migratePostgres } from './postgresMigrations';
import { insertPostgresOutboxItems } from './postgresOutbox';
import {
    type CaseContent,
    type CaseStoreOptions,
    CaseNotFoundError,
    caseContent,
    caseFromRecord,
    caseStoreDefaults,
    chatStateAfter,
    initialChatState,
    insertWithFreshReference,
    purgedContent,
    toContentJson,
} from './caseRecord';

export { createPostgresPool } from './createPostgresPool';

interface CaseRow {
    reference: string;
    created_at: Date;
    status: CaseStatus;
    team: string;
    priority: CasePriority;
    service_id: string | null;
    claimed_by: string | null;
    claimed_at: Date | null;
    closed_at: Date | null;
    outcome: CaseOutcome | null;
    chat_state: ChatState | null;
    purged_at: Date | null;
    data: CaseContent;
}

// Cases purged per transaction, so a large first purge does not hold row locks for long.
const purgeBatch = 500;

const iso = (time: Date | null) => (time ? time.toISOString() : null);

function toCase(row: CaseRow): Case {
    return caseFromRecord(
        {
            reference: row.reference,
            createdAt: row.created_at.toISOString(),
            status: row.status,
            team: row.team,
            priority: row.priority,
            serviceId: row.service_id,
            claimedBy: row.claimed_by,
            claimedAt: iso(row.claimed_at),
            closedAt: iso(row.closed_at),
            outcome: row.outcome,
            chat: row.chat_state,
            purgedAt: iso(row.purged_at),
        },
        row.data,
    );
}

/**
 * Cases in PostgreSQL (for several instances behind a load balancer): claims and transcript lines are single
 * statements, so they stay atomic across processes.
 */
export class PostgresCaseStore implements CaseStore {
    private readonly pool: Pool;
    private readonly ownsPool: boolean;
    private readonly options: Required<CaseStoreOptions>;
    private closed = false;

    /** Uses a pool it is given (and leaves it open on close), or makes its own from a URL (and ends it). */
    constructor(connection: Pool | string, options: CaseStoreOptions = {}) {
        this.ownsPool = typeof connection === 'string';
        this.pool = typeof connection === 'string' ? createPostgresPool(connection) : connection;
        this.options = caseStoreDefaults(options);
    }

    /** Connects and brings the schema up to date. */
    static async create(connection: Pool | string, options: CaseStoreOptions = {}): Promise<PostgresCaseStore> {
        const store = new PostgresCaseStore(connection, options);
        try {
            await store.migrate();
        } catch (error) {
            await store.close();
            throw error;
        }
        return store;
    }

    /** Brings the schema up to date (every table, the outbox's included); safe when several instances start at once. */
    async migrate(): Promise<void> {
        await migratePostgres(this.pool);
    }

    async create(
        newCase: NewCase,
        prefix: string,
        deliveries: readonly DeliveryTransport[] = [],
        idempotencyKey?: string,
    ): Promise<Case> {
        const data = toContentJson(caseContent(newCase));
        const insert = async (client: Pool | PoolClient, reference: string, now: Date) => {
            // DO NOTHING on either unique column: a taken reference (try another) or a repeated key (the first case).
            const { rows } = await client.query<CaseRow>(
                `INSERT INTO cases
                     (reference, created_at, status, team, priority, service_id, data, chat_state, idempotency_key)
                 VALUES ($1, $2, 'queued', $3, $4, $5, $6::jsonb, $7, $8)
                 ON CONFLICT DO NOTHING RETURNING *`,
                [
                    reference,
                    now,
                    newCase.team,
                    newCase.priority,
                    newCase.serviceId ?? null,
                    data,
                    initialChatState(newCase),
                    idempotencyKey ?? null,
                ],
            );
            if (rows[0]) return { created: toCase(rows[0]) };
            if (idempotencyKey === undefined) return undefined;
            const existing = await client.query<CaseRow>('SELECT * FROM cases WHERE idempotency_key = $1', [
                idempotencyKey,
            ]);
            return existing.rows[0] && { existing: toCase(existing.rows[0]) };
        };
        return insertWithFreshReference(prefix, this.options.newReference, async (reference) => {
            const now = this.options.now();
            if (deliveries.length === 0) {
                const result = await insert(this.pool, reference, now);
                return result && ('created' in result ? result.created : result.existing);
            }
            // The case and its deliveries commit together: a crash cannot leave a stored case that is never delivered.
            return this.transaction(async (client) => {
                const result = await insert(client, reference, now);
                if (!result || 'existing' in result) return result?.existing;
                const items = deliveries.map((transport) => ({
                    caseReference: reference,
                    transport,
                    team: result.created.team,
                }));
                await insertPostgresOutboxItems(client, items, now);
                return result.created;
            });
        });
    }

    async get(reference: string): Promise<Case | undefined> {
        const { rows } = await this.pool.query<CaseRow>('SELECT * FROM cases WHERE reference = $1', [reference]);
        return rows[0] && toCase(rows[0]);
    }

    async queue(team?: string): Promise<Case[]> {
        const { rows } = await this.pool.query<CaseRow>(
            `SELECT * FROM cases WHERE status = 'queued' AND ($1::text IS NULL OR team = $1)
             ORDER BY CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, created_at, seq`,
            [team ?? null],
        );
        return rows.map(toCase);
    }

    async claim(reference: string, agentId: string): Promise<Case | undefined> {
        // A competing UPDATE waits for the row lock, then sees status 'claimed' and changes nothing.
        const { rows } = await this.pool.query<CaseRow>(
            `UPDATE cases SET status = 'claimed', claimed_by = $2, claimed_at = $3, chat_state = ${chatStateAfter.claim}
             WHERE reference = $1 AND status = 'queued' RETURNING *`,
            [reference, agentId, this.options.now()],
        );
        return rows[0] && toCase(rows[0]);
    }

    async closeCase(reference: string, agentId: string, outcome: CaseOutcome): Promise<Case | undefined> {
        const { rows } = await this.pool.query<CaseRow>(
            `UPDATE cases SET status = 'closed', closed_at = $4, outcome = $3, chat_state = ${chatStateAfter.close}
             WHERE reference = $1 AND status = 'claimed' AND claimed_by = $2 RETURNING *`,
            [reference, agentId, outcome, this.options.now()],
        );
        return rows[0] && toCase(rows[0]);
    }

    async markUrgent(reference: string, safetyRule: string): Promise<Case | undefined> {
        const { rows } = await this.pool.query<CaseRow>(
            `UPDATE cases SET priority = 'urgent',
             data = jsonb_set(data, '{flags}', jsonb_build_object('vulnerable', true, 'safetyRule', $2::text))
             WHERE reference = $1 RETURNING *`,
            [reference, safetyRule],
        );
        return rows[0] && toCase(rows[0]);
    }

    async endChat(reference: string): Promise<Case | undefined> {
        const { rows } = await this.pool.query<CaseRow>(
            `UPDATE cases SET chat_state = 'ended'
             WHERE reference = $1 AND chat_state IN ('waiting', 'connected') RETURNING *`,
            [reference],
        );
        return rows[0] && toCase(rows[0]);
    }

    async expireWaitingChats(before: Date): Promise<Case[]> {
        // A concurrent claim holds the row lock; this UPDATE then re-checks the row and skips it.
        const { rows } = await this.pool.query<CaseRow>(
            `UPDATE cases SET chat_state = 'timedOut'
             WHERE chat_state = 'waiting' AND status = 'queued' AND created_at < $1 RETURNING *`,
            [before],
        );
        return rows.map(toCase);
    }

    async appendTranscript(reference: string, entry: TranscriptEntry): Promise<number> {
        // One statement: concurrent appends queue on the row lock and each sees the lines added before it.
        const { rows } = await this.pool.query<{ position: number }>(
            `UPDATE cases
             SET data = jsonb_set(data, '{transcript}', coalesce(data -> 'transcript', '[]') || jsonb_build_array($2::jsonb))
             WHERE reference = $1
             RETURNING jsonb_array_length(data -> 'transcript') AS position`,
            [reference, toContentJson(entry)],
        );
        if (!rows[0]) throw new CaseNotFoundError(reference);
        return rows[0].position;
    }

    async purge(before: Date): Promise<number> {
        const purgedAt = this.options.now();
        let total = 0;
        let count;
        do {
            count = await this.transaction(async (client) => {
                const { rows } = await client.query<{ reference: string; data: CaseContent }>(
                    `SELECT reference, data FROM cases WHERE created_at < $1 AND purged_at IS NULL
                     LIMIT ${purgeBatch} FOR UPDATE`,
                    [before],
                );
                await client.query(
                    `UPDATE cases SET data = purged.data::jsonb, purged_at = $3
                     FROM unnest($1::text[], $2::text[]) AS purged (reference, data)
                     WHERE cases.reference = purged.reference`,
                    [
                        rows.map((row) => row.reference),
                        rows.map((row) => toContentJson(purgedContent(row.data))),
                        purgedAt,
                    ],
                );
                return rows.length;
            });
            total += count;
        } while (count === purgeBatch);
        return total;
    }

    async isReachable(): Promise<boolean> {
        try {
            await this.pool.query('SELECT 1');
            return true;
        } catch {
            return false;
        }
    }

    /** Ends the pool when the store made it; a pool it was given stays open for its owner. */
    async close(): Promise<void> {
        if (this.ownsPool && !this.closed) await this.pool.end();
        this.closed = true;
    }

    private transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
        return inTransaction(this.pool, work);
    }
}
