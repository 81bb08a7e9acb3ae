import type { Database } from '../stores/database';
import type { InsightStore } from './insightEvent';
import { PostgresInsightStore } from './postgresInsightStore';
import { SqliteInsightStore } from './sqliteInsightStore';

/** Opens the insight store beside the cases. */
export async function createInsightStore(database: Database): Promise<InsightStore> {
    if (database.kind === 'postgres') return PostgresInsightStore.create(database.pool);
    return new SqliteInsightStore(database.file);
}
