import type { Pool, PoolClient } from 'pg';
import { createPostgresPool } from './createPostgresPool';
import { migratePostgres } from './postgresMigrations';
import type { DeliveryTransport, NewOutboxItem, Outbox, OutboxItem, OutboxStatus } from './outbox';

interface OutboxRow {
    id: string;
    case_reference: string;
    transport: DeliveryTransport;
    team: string;
    status: OutboxStatus;
    attempts: number;
    created_at: Date;
    next_attempt_at: Date;
    delivered_at: Date | null;
    last_error: string | null;
}

/** Adds deliveries through `client`, so the case store can enqueue inside the transaction that inserts the case. */
export async function insertPostgresOutboxItems(
    client: Pool | PoolClient,
    items: readonly NewOutboxItem[],
    now: Date,
): Promise<void> {
    if (items.length === 0) return;
    await client.query(
        `INSERT INTO delivery_outbox (case_reference, transport, team, status, created_at, next_attempt_at)
         SELECT item.case_reference, item.transport, item.team, 'pending', $4, $4
         FROM unnest($1::text[], $2::text[], $3::text[]) AS item (case_reference, transport, team)
         ON CONFLICT (case_reference, transport) DO NOTHING`,
        [items.map((i) => i.caseReference), items.map((i) => i.transport), items.map((i) => i.team), now],
    );
}

function toItem(row: OutboxRow): OutboxItem {
    return {
        // bigint arrives as a string; ids stay far below 2^53.
        id: Number(row.id),
        caseReference: row.case_reference,
        transport: row.transport,
        team: row.team,
        status: row.status,
        attempts: row.attempts,
        createdAt: row.created_at.toISOString(),
        nextAttemptAt: row.next_attempt_at.toISOString(),
        ...(row.delivered_at !== null && { deliveredAt: row.delivered_at.toISOString() }),
        ...(row.last_error !== null && { lastError: row.last_error }),
    };
}

/** The outbox in PostgreSQL, next to the cases: several instances share it, claiming with SKIP LOCKED. */
export class PostgresOutbox implements Outbox {
    private readonly pool: Pool;
    private readonly ownsPool: boolean;
    private readonly now: () => Date;
    private closed = false;

    /** Uses a pool it is given (and leaves it open on close), or makes its own from a URL (and ends it). */
    constructor(connection: Pool | string, options: { readonly now?: () => Date } = {}) {
        this.ownsPool = typeof connection === 'string';
        this.pool = typeof connection === 'string' ? createPostgresPool(connection) : connection;
        this.now = options.now ?? (() => new Date());
    }

    /** Connects and brings the schema up to date. */
    static async create(
        connection: Pool | string,
        options: { readonly now?: () => Date } = {},
    ): Promise<PostgresOutbox> {
        const outbox = new PostgresOutbox(connection, options);
        try {
            await migratePostgres(outbox.pool);
        } catch (error) {
            await outbox.close();
            throw error;
        }
        return outbox;
    }

    async enqueue(items: readonly NewOutboxItem[]): Promise<void> {
        await insertPostgresOutboxItems(this.pool, items, this.now());
    }

    async claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxItem[]> {
        // SKIP LOCKED: a competing claim passes over rows this one is taking instead of waiting for them, and the
        // lease (next_attempt_at moved past now) keeps them from being due again once the statement commits.
        const { rows } = await this.pool.query<OutboxRow>(
            `UPDATE delivery_outbox SET attempts = attempts + 1, next_attempt_at = $2
             WHERE id IN (SELECT id FROM delivery_outbox WHERE status = 'pending' AND next_attempt_at <= $1
                          ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING *`,
            [now, new Date(now.getTime() + leaseMs), limit],
        );
        return rows.map(toItem).sort((a, b) => a.id - b.id);
    }

    async markDelivered(id: number): Promise<void> {
        await this.pool.query(
            `UPDATE delivery_outbox SET status = 'delivered', delivered_at = $2, last_error = NULL
             WHERE id = $1 AND status <> 'delivered'`,
            [id, this.now()],
        );
    }

    async markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void> {
        await this.pool.query(
            `UPDATE delivery_outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND status = 'pending'`,
            [id, nextAttemptAt, error],
        );
    }

    async markDead(id: number, error: string): Promise<void> {
        await this.pool.query(
            `UPDATE delivery_outbox SET status = 'dead', last_error = $2 WHERE id = $1 AND status = 'pending'`,
            [id, error],
        );
    }

    async listDead(): Promise<OutboxItem[]> {
        const { rows } = await this.pool.query<OutboxRow>(
            `SELECT * FROM delivery_outbox WHERE status = 'dead' ORDER BY created_at, id`,
        );
        return rows.map(toItem);
    }

    async replay(id: number): Promise<boolean> {
        const { rowCount } = await this.pool.query(
            `UPDATE delivery_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2
             WHERE id = $1 AND status = 'dead'`,
            [id, this.now()],
        );
        return (rowCount ?? 0) > 0;
    }

    async get(id: number): Promise<OutboxItem | undefined> {
        const { rows } = await this.pool.query<OutboxRow>('SELECT * FROM delivery_outbox WHERE id = $1', [id]);
        return rows[0] && toItem(rows[0]);
    }

    async forCase(caseReference: string): Promise<OutboxItem[]> {
        const { rows } = await this.pool.query<OutboxRow>(
            'SELECT * FROM delivery_outbox WHERE case_reference = $1 ORDER BY id',
            [caseReference],
        );
        return rows.map(toItem);
    }

    /** Ends the pool when the outbox made it; a pool it was given stays open for its owner. */
    async close(): Promise<void> {
        if (this.ownsPool && !this.closed) await this.pool.end();
        this.closed = true;
    }
}
