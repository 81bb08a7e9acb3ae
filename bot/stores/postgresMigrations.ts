import type { Pool } from 'pg';
import { chatStateCheck } from './caseRecord';
import { inTransaction } from './createPostgresPool';

/** One step of the PostgreSQL schema; applied once, in order, and recorded in `schema_migrations`. */
export interface Migration {
    readonly version: number;
    readonly name: string;
    readonly sql: string;
}

/**
 * Every table the service keeps in PostgreSQL. Append only: a released migration is never edited, since databases
 * have already applied it; and each only adds (tables, columns, indexes), so instances of the previous release keep
 * working during a rolling upgrade. The first ones say IF NOT EXISTS because databases created before migrations were
 * recorded already hold those tables.
 */
export const postgresMigrations: readonly Migration[] = [
    {
        version: 1,
        name: 'cases and their delivery outbox',
        // seq breaks ties between cases created in the same millisecond, keeping arrival order.
        sql: `
CREATE TABLE IF NOT EXISTS cases (
    reference text PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    created_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('queued', 'claimed', 'closed')),
    team text NOT NULL,
    priority text NOT NULL CHECK (priority IN ('urgent', 'normal')),
    service_id text,
    claimed_by text,
    claimed_at timestamptz,
    closed_at timestamptz,
    outcome text CHECK (outcome IN ('resolved', 'callback', 'referred')),
    purged_at timestamptz,
    data jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_status_team ON cases (status, team);
CREATE INDEX IF NOT EXISTS cases_created_at ON cases (created_at) WHERE purged_at IS NULL;
CREATE TABLE IF NOT EXISTS delivery_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_reference text NOT NULL,
    transport text NOT NULL CHECK (transport IN ('webhook', 'email')),
    team text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    delivered_at timestamptz,
    last_error text,
    UNIQUE (case_reference, transport)
);
CREATE INDEX IF NOT EXISTS delivery_outbox_due ON delivery_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS delivery_outbox_dead ON delivery_outbox (created_at) WHERE status = 'dead';`,
    },
    {
        version: 2,
        name: 'live chat state on cases',
        sql: `
ALTER TABLE cases ADD COLUMN IF NOT EXISTS chat_state text ${chatStateCheck};
CREATE INDEX IF NOT EXISTS cases_waiting_chats ON cases (created_at) WHERE chat_state = 'waiting';`,
    },
    {
        version: 3,
        name: 'insight events',
        sql: `
CREATE TABLE IF NOT EXISTS insight_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    data jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS insight_events_at ON insight_events (at);`,
    },
    {
        version: 4,
        name: 'conversation state',
        sql: `
CREATE TABLE bot_state (
    key text PRIMARY KEY,
    etag text NOT NULL,
    data jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX bot_state_updated_at ON bot_state (updated_at);`,
    },
    {
        version: 5,
        name: 'Direct Line conversations and their recent activities',
        sql: `
CREATE TABLE directline_conversations (
    id text PRIMARY KEY,
    user_id text NOT NULL,
    site text,
    started boolean NOT NULL DEFAULT false,
    watermark integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    last_active timestamptz NOT NULL
);
CREATE INDEX directline_conversations_last_active ON directline_conversations (last_active);
CREATE TABLE directline_activities (
    conversation_id text NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
    watermark integer NOT NULL,
    activity jsonb NOT NULL,
    PRIMARY KEY (conversation_id, watermark)
);`,
    },
    {
        version: 6,
        name: 'idempotent case creation',
        sql: `
ALTER TABLE cases ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX cases_idempotency_key ON cases (idempotency_key);`,
    },
    {
        version: 7,
        name: 'agent sign-outs',
        // Per agent, the session generation: signing out moves it on, ending every session issued before.
        sql: `
CREATE TABLE agent_sessions (
    username text PRIMARY KEY,
    generation integer NOT NULL,
    ended_at timestamptz NOT NULL
);`,
    },
];

// One lock for the whole schema, so instances starting together migrate one at a time. 'migr' in ASCII.
const migrationLock = 0x6d696772;

/**
 * Brings the database's schema up to date in one transaction, under an advisory lock: safe when several instances
 * start at once (the others wait, then find nothing to do). Returns the versions it applied.
 */
export function migratePostgres(pool: Pool): Promise<number[]> {
    return inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )`);
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        const done = new Set(rows.map((row) => row.version));
        const applied: number[] = [];
        for (const migration of postgresMigrations) {
            if (done.has(migration.version)) continue;
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
                migration.version,
                migration.name,
            ]);
            applied.push(migration.version);
        }
        return applied;
    });
}
