import path from 'node:path';
import type { Config } from '../config';
import type { Outbox } from './outbox';
import { PostgresOutbox } from './postgresOutbox';
import { SqliteOutbox } from './sqliteOutbox';

/** Opens the outbox next to the cases: PostgreSQL when `databaseUrl` is set, else the SQLite file in `dataDir`. */
export async function createOutbox(
    config: Pick<Config, 'databaseUrl' | 'dataDir'>,
    options: { readonly now?: () => Date } = {},
): Promise<Outbox> {
    if (config.databaseUrl) return PostgresOutbox.create(config.databaseUrl, options);
    return new SqliteOutbox(path.join(config.dataDir, 'assistant.sqlite'), options);
}
