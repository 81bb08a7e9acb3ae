import type { Database } from './database';
import { PostgresStorage } from './postgresStorage';
import { SqliteStorage } from './sqliteStorage';
import type { StateStorage } from './stateStorage';

/** Opens conversation and user state in the database: PostgreSQL is shared by every instance. */
export async function createStateStorage(
    database: Database,
    options: { readonly now?: () => Date } = {},
): Promise<StateStorage> {
    if (database.kind === 'postgres') return PostgresStorage.create(database.pool, options);
    return new SqliteStorage(database.file, options.now);
}
