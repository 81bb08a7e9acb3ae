import type { Storage } from 'botbuilder';

/** A write lost a race: the item changed since it was read. The turn should be retried. */
export class StorageConflictError extends Error {
    readonly code = 'STORAGE_CONFLICT';
    constructor(key: string) {
        super(`The state item "${key}" was changed by another turn since it was read (eTag mismatch).`);
        this.name = 'StorageConflictError';
    }
}

/**
 * Bot Framework conversation and user state. Writes honour eTags: an item written with a stale eTag is refused
 * with `StorageConflictError` and nothing in that write lands; `*` or no eTag overwrites. Implementations: SQLite
 * (the embedded default) and PostgreSQL, both passing test/bot/stores/stateStorage.contract.ts.
 */
export interface StateStorage extends Storage {
    /**
     * Deletes the state of conversations idle since before `before`: conversation state holds the recent transcript,
     * which must not outlive the conversation. Returns how many items were deleted.
     */
    deleteIdleSince(before: Date): Promise<number>;
    /** True when the database answers (the readiness check). */
    isReachable(): Promise<boolean>;
    close(): Promise<void>;
}
