import path from 'node:path';
import type { Config } from '../config';
import type { CaseStore } from './caseStore';
import type { CaseStoreOptions } from './caseRecord';
import { PostgresCaseStore } from './postgresCaseStore';
import { SqliteCaseStore } from './sqliteCaseStore';

/** Opens the case store the configuration asks for: PostgreSQL when `databaseUrl` is set, else SQLite in `dataDir`. */
export async function createCaseStore(
    config: Pick<Config, 'databaseUrl' | 'dataDir'>,
    options: CaseStoreOptions = {},
): Promise<CaseStore> {
    if (config.databaseUrl) return PostgresCaseStore.create(config.databaseUrl, options);
    return new SqliteCaseStore(path.join(config.dataDir, 'assistant.sqlite'), options);
}
