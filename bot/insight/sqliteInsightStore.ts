import type Database from 'better-sqlite3';
import { openSqlite } from '../stores/sqliteFile';
import { toContentJson } from '../stores/caseRecord';
import type { InsightEvent, InsightStore } from './insightEvent';

interface EventRow {
    at: string;
    data: string;
}

/**
 * Insight events in the SQLite file (the embedded default): the time as a column to select and purge by, the
 * rest as JSON. Times are ISO 8601 text, which sorts in time order.
 */
export class SqliteInsightStore implements InsightStore {
    private readonly db: Database.Database;
    private readonly statements;

    constructor(file: string) {
        this.db = openSqlite(file);
        this.db.exec(`CREATE TABLE IF NOT EXISTS insight_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS insight_events_at ON insight_events (at)`);
        this.statements = {
            insert: this.db.prepare<[string, string]>('INSERT INTO insight_events (at, data) VALUES (?, ?)'),
            between: this.db.prepare<[string, string], EventRow>(
                'SELECT at, data FROM insight_events WHERE at >= ? AND at < ? ORDER BY at, id',
            ),
            purge: this.db.prepare<[string]>('DELETE FROM insight_events WHERE at < ?'),
        };
    }

    async record(event: InsightEvent): Promise<void> {
        this.statements.insert.run(event.at, toContentJson(event));
    }

    async between(from: Date, to: Date): Promise<InsightEvent[]> {
        return this.statements.between
            .all(from.toISOString(), to.toISOString())
            .map((row) => JSON.parse(row.data) as InsightEvent);
    }

    async purge(before: Date): Promise<number> {
        return this.statements.purge.run(before.toISOString()).changes;
    }

    async close(): Promise<void> {
        if (this.db.open) this.db.close();
    }
}
