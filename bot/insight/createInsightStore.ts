import path from 'node:path';
import type { Config } from '../config';
import type { InsightStore } from './insightEvent';
import { PostgresInsightStore } from './postgresInsightStore';
import { SqliteInsightStore } from './sqliteInsightStore';

/** Opens the insight store beside the cases: PostgreSQL when `databaseUrl` is set, else the SQLite file. */
export async function createInsightStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<InsightStore> {
    if (config.databaseUrl) return PostgresInsightStore.create(config.databaseUrl);
    return new SqliteInsightStore(path.join(config.dataDir, 'assistant.sqlite'));
}
