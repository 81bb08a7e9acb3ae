import type { Case, NewCase } from '../../bot/handoff/case';
import type { CaseStoreOptions } from '../../bot/stores/caseRecord';
import type { DeliveryTransport } from '../../bot/stores/outbox';
import { SqliteCaseStore } from '../../bot/stores/sqliteCaseStore';

/**
 * The real SQLite case store in memory, for dialog tests; `failing` makes creating a case throw, as a database
 * outage would.
 */
export class MemoryCaseStore extends SqliteCaseStore {
    failing = false;

    constructor(options: CaseStoreOptions = {}) {
        super(':memory:', options);
    }

    override async create(
        newCase: NewCase,
        prefix: string,
        deliveries?: readonly DeliveryTransport[],
        idempotencyKey?: string,
    ): Promise<Case> {
        if (this.failing) throw new Error('the database is unavailable');
        return super.create(newCase, prefix, deliveries, idempotencyKey);
    }

    override async isReachable(): Promise<boolean> {
        return !this.failing && super.isReachable();
    }
}
