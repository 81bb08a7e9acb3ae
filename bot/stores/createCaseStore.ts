import type { CaseStore } from './caseStore';
import type { CaseStoreOptions } from './caseRecord';
import type { Database } from './database';
import { PostgresCaseStore } from './postgresCaseStore';
import { SqliteCaseStore } from './sqliteCaseStore';

/** Opens the case store in the database. */
export async function createCaseStore(database: Database, options: CaseStoreOptions = {}): Promise<CaseStore> {
    if (database.kind === 'postgres') return PostgresCaseStore.create(database.pool, options);
    return new SqliteCaseStore(database.file, options);
}
