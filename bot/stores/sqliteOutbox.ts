import type Database from 'better-sqlite3';
import { openSqlite } from './sqliteFile';
import type { DeliveryTransport, NewOutboxItem, Outbox, OutboxItem, OutboxStatus } from './outbox';

interface OutboxRow {
    id: number;
    case_reference: string;
    transport: DeliveryTransport;
    team: string;
    status: OutboxStatus;
    attempts: number;
    created_at: string;
    next_attempt_at: string;
    delivered_at: string | null;
    last_error: string | null;
}

// AUTOINCREMENT so an id an operator saw in a dead-letter list never comes back as another item.
const schema = `CREATE TABLE IF NOT EXISTS delivery_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_reference TEXT NOT NULL,
    transport TEXT NOT NULL CHECK (transport IN ('webhook', 'email')),
    team TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    delivered_at TEXT,
    last_error TEXT,
    UNIQUE (case_reference, transport)
);
CREATE INDEX IF NOT EXISTS delivery_outbox_due ON delivery_outbox (status, next_attempt_at)`;

/**
 * Creates the outbox table when missing and returns a function that adds deliveries on this connection, so the
 * case store can enqueue inside the transaction that inserts the case.
 */
export function prepareSqliteOutbox(db: Database.Database): (items: readonly NewOutboxItem[], now: Date) => void {
    db.exec(schema);
    const insert = db.prepare<[string, DeliveryTransport, string, string, string]>(
        `INSERT INTO delivery_outbox (case_reference, transport, team, status, created_at, next_attempt_at)
         VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (case_reference, transport) DO NOTHING`,
    );
    return (items, now) => {
        const at = now.toISOString();
        for (const item of items) insert.run(item.caseReference, item.transport, item.team, at, at);
    };
}

function toItem(row: OutboxRow): OutboxItem {
    return {
        id: row.id,
        caseReference: row.case_reference,
        transport: row.transport,
        team: row.team,
        status: row.status,
        attempts: row.attempts,
        createdAt: row.created_at,
        nextAttemptAt: row.next_attempt_at,
        ...(row.delivered_at !== null && { deliveredAt: row.delivered_at }),
        ...(row.last_error !== null && { lastError: row.last_error }),
    };
}

/** The outbox in the SQLite file the cases live in (its own table), for the embedded default. */
export class SqliteOutbox implements Outbox {
    private readonly db: Database.Database;
    private readonly now: () => Date;
    private readonly insert: (items: readonly NewOutboxItem[], now: Date) => void;
    private readonly statements;

    constructor(file: string, options: { readonly now?: () => Date } = {}) {
        this.now = options.now ?? (() => new Date());
        // FULL, like the cases: a delivery must not be lost with the last write before a crash.
        this.db = openSqlite(file, { synchronous: 'FULL' });
        this.insert = prepareSqliteOutbox(this.db);
        this.statements = {
            claim: this.db.prepare<[{ now: string; leaseUntil: string; limit: number }], OutboxRow>(
                `UPDATE delivery_outbox SET attempts = attempts + 1, next_attempt_at = @leaseUntil
                 WHERE id IN (SELECT id FROM delivery_outbox WHERE status = 'pending' AND next_attempt_at <= @now
                              ORDER BY next_attempt_at, id LIMIT @limit)
                 RETURNING *`,
            ),
            delivered: this.db.prepare<[string, number]>(
                `UPDATE delivery_outbox SET status = 'delivered', delivered_at = ?, last_error = NULL
                 WHERE id = ? AND status <> 'delivered'`,
            ),
            failed: this.db.prepare<[string, string, number]>(
                `UPDATE delivery_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
            ),
            dead: this.db.prepare<[string, number]>(
                `UPDATE delivery_outbox SET status = 'dead', last_error = ? WHERE id = ? AND status = 'pending'`,
            ),
            listDead: this.db.prepare<[], OutboxRow>(
                `SELECT * FROM delivery_outbox WHERE status = 'dead' ORDER BY created_at, id`,
            ),
            replay: this.db.prepare<[string, number]>(
                `UPDATE delivery_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?
                 WHERE id = ? AND status = 'dead'`,
            ),
            get: this.db.prepare<[number], OutboxRow>('SELECT * FROM delivery_outbox WHERE id = ?'),
            forCase: this.db.prepare<[string], OutboxRow>(
                'SELECT * FROM delivery_outbox WHERE case_reference = ? ORDER BY id',
            ),
        };
    }

    async enqueue(items: readonly NewOutboxItem[]): Promise<void> {
        this.db.transaction(() => this.insert(items, this.now()))();
    }

    async claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxItem[]> {
        // One statement on the write lock: another connection's claim sees these items already leased.
        const rows = this.statements.claim.all({
            now: now.toISOString(),
            leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
            limit,
        });
        return rows.map(toItem).sort((a, b) => a.id - b.id);
    }

    async markDelivered(id: number): Promise<void> {
        this.statements.delivered.run(this.now().toISOString(), id);
    }

    async markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void> {
        this.statements.failed.run(nextAttemptAt.toISOString(), error, id);
    }

    async markDead(id: number, error: string): Promise<void> {
        this.statements.dead.run(error, id);
    }

    async listDead(): Promise<OutboxItem[]> {
        return this.statements.listDead.all().map(toItem);
    }

    async replay(id: number): Promise<boolean> {
        return this.statements.replay.run(this.now().toISOString(), id).changes > 0;
    }

    async get(id: number): Promise<OutboxItem | undefined> {
        const row = this.statements.get.get(id);
        return row && toItem(row);
    }

    async forCase(caseReference: string): Promise<OutboxItem[]> {
        return this.statements.forCase.all(caseReference).map(toItem);
    }

    async close(): Promise<void> {
        if (this.db.open) this.db.close();
    }
}
