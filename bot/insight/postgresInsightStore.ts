import type { Pool } from 'pg';
import { createPostgresPool } from '../stores/createPostgresPool';
import { toContentJson } from '../stores/caseRecord';
import type { InsightEvent, InsightStore } from './insightEvent';

// The same lock id the case store takes, so instances starting together create the tables one at a time.
const migrationLock = 0x63617365;

/** Insight events in PostgreSQL (several instances): the time as a column, the rest as jsonb. */
export class PostgresInsightStore implements InsightStore {
    private closed = false;

    private constructor(private readonly pool: Pool) {}

    /** Connects and creates the table when it is missing. */
    static async create(url: string): Promise<PostgresInsightStore> {
        const store = new PostgresInsightStore(createPostgresPool(url));
        const client = await store.pool.connect();
        try {
            await client.query('BEGIN');
            await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
            await client.query(`CREATE TABLE IF NOT EXISTS insight_events (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at timestamptz NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX IF NOT EXISTS insight_events_at ON insight_events (at)`);
            await client.query('COMMIT');
            client.release();
        } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            client.release(true);
            await store.close();
            throw error;
        }
        return store;
    }

    async record(event: InsightEvent): Promise<void> {
        // toContentJson: jsonb refuses NUL characters and unpaired surrogates, which redacted text may still hold.
        await this.pool.query('INSERT INTO insight_events (at, data) VALUES ($1, $2::jsonb)', [
            event.at,
            toContentJson(event),
        ]);
    }

    async between(from: Date, to: Date): Promise<InsightEvent[]> {
        const { rows } = await this.pool.query<{ data: InsightEvent }>(
            'SELECT data FROM insight_events WHERE at >= $1 AND at < $2 ORDER BY at, id',
            [from, to],
        );
        return rows.map((row) => row.data);
    }

    async purge(before: Date): Promise<number> {
        const { rowCount } = await this.pool.query('DELETE FROM insight_events WHERE at < $1', [before]);
        return rowCount ?? 0;
    }

    async close(): Promise<void> {
        if (!this.closed) await this.pool.end();
        this.closed = true;
    }
}
