import type { Pool } from 'pg';
import { createPostgresPool } from '../stores/createPostgresPool';
import { toContentJson } from '../stores/caseRecord';
import { migratePostgres } from '../stores/postgresMigrations';
import type { InsightEvent, InsightStore } from './insightEvent';

/** Insight events in PostgreSQL (several instances): the time as a column, the rest as jsonb. */
export class PostgresInsightStore implements InsightStore {
    private closed = false;

    private constructor(
        private readonly pool: Pool,
        private readonly ownsPool: boolean,
    ) {}

    /** Uses a pool it is given (and leaves it open on close), or makes its own from a URL; brings the schema up to date. */
    static async create(connection: Pool | string): Promise<PostgresInsightStore> {
        const owns = typeof connection === 'string';
        const store = new PostgresInsightStore(owns ? createPostgresPool(connection) : connection, owns);
        try {
            await migratePostgres(store.pool);
        } catch (error) {
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
        if (this.ownsPool && !this.closed) await this.pool.end();
        this.closed = true;
    }
}
