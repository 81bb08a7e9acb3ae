import type { Database } from './database';
import type { Outbox } from './outbox';
import { PostgresOutbox } from './postgresOutbox';
import { SqliteOutbox } from './sqliteOutbox';

/** Opens the outbox next to the cases. */
export async function createOutbox(database: Database, options: { readonly now?: () => Date } = {}): Promise<Outbox> {
    if (database.kind === 'postgres') return PostgresOutbox.create(database.pool, options);
    return new SqliteOutbox(database.file, options);
}
