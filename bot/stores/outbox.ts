/** How a case reaches a team's own systems. */
export type DeliveryTransport = 'webhook' | 'email';

/** Where a delivery is: waiting (or being tried), done, or given up after the last attempt. */
export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** A delivery to make: one case, one transport. */
export interface NewOutboxItem {
    readonly caseReference: string;
    readonly transport: DeliveryTransport;
    /** The team whose delivery settings apply (a team id from council.yaml). */
    readonly team: string;
}

/** A delivery as the outbox holds it. Holds no personal data: the case is read from the case store when sent. */
export interface OutboxItem extends NewOutboxItem {
    readonly id: number;
    readonly status: OutboxStatus;
    /** Attempts started so far, counting the one a claim has just begun. */
    readonly attempts: number;
    /** ISO 8601 time. */
    readonly createdAt: string;
    /** When the item is next due (ISO 8601); while claimed, when the claim's lease runs out. */
    readonly nextAttemptAt: string;
    readonly deliveredAt?: string;
    /** Why the last attempt failed (no personal data: a status code or an error name and message). */
    readonly lastError?: string;
}

/**
 * The durable queue of deliveries to the council's systems, surviving restarts. Items are claimed with a lease, so
 * two workers (or instances) never send the same item at once, and an item whose worker died becomes due again
 * when the lease runs out. Implementations: SQLite and PostgreSQL, both passing test/bot/stores/outbox.contract.ts.
 */
export interface Outbox {
    /** Adds deliveries, due now; an item already there for the same case and transport is left as it is. */
    enqueue(items: readonly NewOutboxItem[]): Promise<void>;
    /** Takes up to `limit` due items, oldest due first, counts an attempt and leases them for `leaseMs`. Atomic. */
    claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxItem[]>;
    /** Records a successful delivery; the item is never claimed again. */
    markDelivered(id: number): Promise<void>;
    /** Records a failed attempt and when to try again; ignored unless the item is pending. */
    markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
    /** Gives up on an item (a dead letter) until an operator replays it; ignored unless the item is pending. */
    markDead(id: number, error: string): Promise<void>;
    /** The dead letters, oldest first. */
    listDead(): Promise<OutboxItem[]>;
    /** Makes a dead letter due now with a fresh count of attempts; false when there is no such dead letter. */
    replay(id: number): Promise<boolean>;
    get(id: number): Promise<OutboxItem | undefined>;
    /** Every delivery of one case, in the order they were enqueued. */
    forCase(caseReference: string): Promise<OutboxItem[]>;
    /** Releases the database (at shutdown). */
    close(): Promise<void>;
}
