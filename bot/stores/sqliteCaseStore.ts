import type Database from 'better-sqlite3';
import { openSqlite } from './sqliteFile';
import type { Case, CaseOutcome, CasePriority, CaseStatus, ChatState, NewCase, TranscriptEntry } from '../handoff/case';
import type { CaseStore } from './caseStore';
import type { DeliveryTransport, NewOutboxItem } from './outbox';
import { prepareSqliteOutbox } from './sqliteOutbox';
import {
    type CaseContent,
    type CaseStoreOptions,
    CaseNotFoundError,
    caseContent,
    caseFromRecord,
    caseStoreDefaults,
    chatStateAfter,
    chatStateCheck,
    initialChatState,
    insertWithFreshReference,
    purgedContent,
    toContentJson,
} from './caseRecord';

interface CaseRow {
    reference: string;
    created_at: string;
    status: CaseStatus;
    team: string;
    priority: CasePriority;
    service_id: string | null;
    claimed_by: string | null;
    claimed_at: string | null;
    closed_at: string | null;
    outcome: CaseOutcome | null;
    chat_state: ChatState | null;
    purged_at: string | null;
    data: string;
}

// Cases purged per transaction, so a large first purge does not hold the write lock for long.
const purgeBatch = 500;

function toCase(row: CaseRow): Case {
    return caseFromRecord(
        {
            reference: row.reference,
            createdAt: row.created_at,
            status: row.status,
            team: row.team,
            priority: row.priority,
            serviceId: row.service_id,
            claimedBy: row.claimed_by,
            claimedAt: row.claimed_at,
            closedAt: row.closed_at,
            outcome: row.outcome,
            chat: row.chat_state,
            purgedAt: row.purged_at,
        },
        JSON.parse(row.data) as CaseContent,
    );
}

/**
 * Cases in a SQLite file (the embedded default), in their own table so the file can be shared with the bot state.
 * Times are ISO 8601 text, which sorts and compares in time order.
 */
export class SqliteCaseStore implements CaseStore {
    private readonly db: Database.Database;
    private readonly options: Required<CaseStoreOptions>;
    private readonly statements;
    private readonly enqueue: (items: readonly NewOutboxItem[], now: Date) => void;

    constructor(file: string, options: CaseStoreOptions = {}) {
        this.options = caseStoreDefaults(options);
        // FULL, unlike the bot state: a resident who was told a reference must be able to rely on it after a crash.
        this.db = openSqlite(file, { synchronous: 'FULL' });
        this.db.exec(`CREATE TABLE IF NOT EXISTS cases (
            reference TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'claimed', 'closed')),
            team TEXT NOT NULL,
            priority TEXT NOT NULL CHECK (priority IN ('urgent', 'normal')),
            service_id TEXT,
            claimed_by TEXT,
            claimed_at TEXT,
            closed_at TEXT,
            outcome TEXT CHECK (outcome IN ('resolved', 'callback', 'referred')),
            purged_at TEXT,
            data TEXT NOT NULL,
            chat_state TEXT ${chatStateCheck},
            idempotency_key TEXT
        );
        CREATE INDEX IF NOT EXISTS cases_status_team ON cases (status, team);
        CREATE INDEX IF NOT EXISTS cases_created_at ON cases (created_at)`);
        // Files made before live chat existed gain the column.
        const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(cases)').all();
        if (!columns.some((c) => c.name === 'chat_state')) {
            this.db.exec(`ALTER TABLE cases ADD COLUMN chat_state TEXT ${chatStateCheck}`);
        }
        if (!columns.some((c) => c.name === 'idempotency_key')) {
            this.db.exec('ALTER TABLE cases ADD COLUMN idempotency_key TEXT');
        }
        this.db.exec('CREATE UNIQUE INDEX IF NOT EXISTS cases_idempotency_key ON cases (idempotency_key)');
        this.enqueue = prepareSqliteOutbox(this.db);
        this.statements = {
            insert: this.db.prepare<
                [string, string, string, string, string | null, string, ChatState | null, string | null],
                CaseRow
            >(
                `INSERT INTO cases
                     (reference, created_at, status, team, priority, service_id, data, chat_state, idempotency_key)
                 VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (reference) DO NOTHING RETURNING *`,
            ),
            byIdempotencyKey: this.db.prepare<[string], CaseRow>('SELECT * FROM cases WHERE idempotency_key = ?'),
            get: this.db.prepare<[string], CaseRow>('SELECT * FROM cases WHERE reference = ?'),
            // rowid breaks ties between cases created in the same millisecond, keeping arrival order.
            queue: this.db.prepare<[{ team: string | null }], CaseRow>(
                `SELECT * FROM cases WHERE status = 'queued' AND (@team IS NULL OR team = @team)
                 ORDER BY CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, created_at, rowid`,
            ),
            claim: this.db.prepare<[string, string, string], CaseRow>(
                `UPDATE cases SET status = 'claimed', claimed_by = ?, claimed_at = ?, chat_state = ${chatStateAfter.claim}
                 WHERE reference = ? AND status = 'queued' RETURNING *`,
            ),
            closeCase: this.db.prepare<[string, CaseOutcome, string, string], CaseRow>(
                `UPDATE cases SET status = 'closed', closed_at = ?, outcome = ?, chat_state = ${chatStateAfter.close}
                 WHERE reference = ? AND status = 'claimed' AND claimed_by = ? RETURNING *`,
            ),
            markUrgent: this.db.prepare<[string, string], CaseRow>(
                `UPDATE cases SET priority = 'urgent',
                 data = json_set(data, '$.flags', json_object('vulnerable', json('true'), 'safetyRule', ?))
                 WHERE reference = ? RETURNING *`,
            ),
            endChat: this.db.prepare<[string], CaseRow>(
                `UPDATE cases SET chat_state = 'ended'
                 WHERE reference = ? AND chat_state IN ('waiting', 'connected') RETURNING *`,
            ),
            expireWaitingChats: this.db.prepare<[string], CaseRow>(
                `UPDATE cases SET chat_state = 'timedOut'
                 WHERE chat_state = 'waiting' AND status = 'queued' AND created_at < ? RETURNING *`,
            ),
            data: this.db.prepare<[string], { data: string }>('SELECT data FROM cases WHERE reference = ?'),
            setData: this.db.prepare<[string, string]>('UPDATE cases SET data = ? WHERE reference = ?'),
            due: this.db.prepare<[string, number], { reference: string; data: string }>(
                'SELECT reference, data FROM cases WHERE created_at < ? AND purged_at IS NULL LIMIT ?',
            ),
            purge: this.db.prepare<[string, string, string]>(
                'UPDATE cases SET data = ?, purged_at = ? WHERE reference = ?',
            ),
        };
    }

    async create(
        newCase: NewCase,
        prefix: string,
        deliveries: readonly DeliveryTransport[] = [],
        idempotencyKey?: string,
    ): Promise<Case> {
        // One writer at a time (this process): nothing can come between this check and the insert.
        const existing =
            idempotencyKey === undefined ? undefined : this.statements.byIdempotencyKey.get(idempotencyKey);
        if (existing) return toCase(existing);
        const data = toContentJson(caseContent(newCase));
        // The case and its deliveries commit together: a crash cannot leave a stored case that is never delivered.
        const insert = this.db.transaction((reference: string, now: Date) => {
            const row = this.statements.insert.get(
                reference,
                now.toISOString(),
                newCase.team,
                newCase.priority,
                newCase.serviceId ?? null,
                data,
                initialChatState(newCase),
                idempotencyKey ?? null,
            );
            if (row) {
                this.enqueue(
                    deliveries.map((transport) => ({ caseReference: reference, transport, team: newCase.team })),
                    now,
                );
            }
            return row;
        });
        return insertWithFreshReference(prefix, this.options.newReference, async (reference) => {
            const row = insert(reference, this.options.now());
            return row && toCase(row);
        });
    }

    async get(reference: string): Promise<Case | undefined> {
        const row = this.statements.get.get(reference);
        return row && toCase(row);
    }

    async queue(team?: string): Promise<Case[]> {
        return this.statements.queue.all({ team: team ?? null }).map(toCase);
    }

    async claim(reference: string, agentId: string): Promise<Case | undefined> {
        // One statement: the status check and the change cannot be separated by another connection's claim.
        const row = this.statements.claim.get(agentId, this.options.now().toISOString(), reference);
        return row && toCase(row);
    }

    async closeCase(reference: string, agentId: string, outcome: CaseOutcome): Promise<Case | undefined> {
        const row = this.statements.closeCase.get(this.options.now().toISOString(), outcome, reference, agentId);
        return row && toCase(row);
    }

    async markUrgent(reference: string, safetyRule: string): Promise<Case | undefined> {
        const row = this.statements.markUrgent.get(safetyRule, reference);
        return row && toCase(row);
    }

    async endChat(reference: string): Promise<Case | undefined> {
        const row = this.statements.endChat.get(reference);
        return row && toCase(row);
    }

    async expireWaitingChats(before: Date): Promise<Case[]> {
        return this.statements.expireWaitingChats.all(before.toISOString()).map(toCase);
    }

    async appendTranscript(reference: string, entry: TranscriptEntry): Promise<number> {
        // IMMEDIATE takes the write lock before reading, so another process cannot slip a line in between.
        return this.db
            .transaction(() => {
                const row = this.statements.data.get(reference);
                if (!row) throw new CaseNotFoundError(reference);
                const content = JSON.parse(row.data) as CaseContent;
                const transcript = [...content.transcript, entry];
                this.statements.setData.run(toContentJson({ ...content, transcript }), reference);
                return transcript.length;
            })
            .immediate();
    }

    async purge(before: Date): Promise<number> {
        const purgeSome = this.db.transaction((cutoff: string, purgedAt: string) => {
            const rows = this.statements.due.all(cutoff, purgeBatch);
            for (const row of rows) {
                const content = purgedContent(JSON.parse(row.data) as CaseContent);
                this.statements.purge.run(toContentJson(content), purgedAt, row.reference);
            }
            return rows.length;
        });
        const purgedAt = this.options.now().toISOString();
        let total = 0;
        let count;
        do {
            count = purgeSome.immediate(before.toISOString(), purgedAt);
            total += count;
        } while (count === purgeBatch);
        return total;
    }

    async isReachable(): Promise<boolean> {
        try {
            return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
        } catch {
            return false;
        }
    }

    async close(): Promise<void> {
        if (this.db.open) this.db.close();
    }
}
