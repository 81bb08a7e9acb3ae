import type { Case } from './case';
import type { DeliveryTarget } from './deliveryTargets';

/** Sends one case to one team's system; throws when the case was not accepted, so the worker can try again. */
export interface CaseTransport {
    /** The longest one attempt can take before it gives up: a worker's claim on an item must outlast it. */
    readonly longestAttemptMs: number;
    deliver(c: Case, target: DeliveryTarget): Promise<void>;
}

/** A delivery did not go through; `permanent` when trying again cannot help (the team has no such transport). */
export class DeliveryError extends Error {
    readonly code = 'DELIVERY_FAILED';
    constructor(
        message: string,
        readonly permanent = false,
    ) {
        super(message);
        this.name = 'DeliveryError';
    }
}
