import { RateLimiter } from '../rateLimit/rateLimiter';

/** What the guard says of a new case. */
export type CaseAdmission =
    | { readonly ok: true; /** Why an urgent case looks automated, when it does. */ readonly automated?: string }
    | { readonly ok: false; readonly retryAfterSeconds: number };

/** Another urgent case from the same resident within this long looks like a script, not a person in crisis. */
const automatedWindowMs = 60_000;
/** Residents whose recent urgent cases are remembered, at most (the oldest are forgotten). */
const maxRemembered = 10_000;

/**
 * Keeps one resident (an address pseudonym, see TurnOrigin) from flooding the queues: at most `casesPerHour`
 * cases an hour (0: no limit), and an urgent case that follows another urgent one from the same resident within a
 * minute is flagged as possibly automated instead of going to the top of every queue. A person in crisis is still
 * given the emergency signposting at once, whatever this says: only the queue order and the agent's view change.
 * In memory, per instance, like the other limits.
 */
export class CaseGuard {
    private readonly cases: RateLimiter | undefined;
    private readonly lastUrgent = new Map<string, number>();

    constructor(
        casesPerHour: number,
        private readonly now: () => number = Date.now,
    ) {
        this.cases = casesPerHour > 0 ? new RateLimiter(casesPerHour, now, 100_000, 60 * 60_000) : undefined;
    }

    /** Counts a new case from `client`; refused when the resident has made too many. */
    admit(client: string, urgent: boolean): CaseAdmission {
        const allowance = this.cases?.take(client) ?? { ok: true };
        if (!allowance.ok) return allowance;
        if (!urgent) return { ok: true };
        const now = this.now();
        const previous = this.lastUrgent.get(client);
        this.lastUrgent.delete(client);
        this.lastUrgent.set(client, now);
        if (this.lastUrgent.size > maxRemembered) this.lastUrgent.delete(this.lastUrgent.keys().next().value as string);
        if (previous === undefined || now - previous > automatedWindowMs) return { ok: true };
        const seconds = Math.max(1, Math.round((now - previous) / 1000));
        return { ok: true, automated: `another urgent request came from the same connection ${seconds} s before` };
    }
}
