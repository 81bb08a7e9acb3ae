import { createHash } from 'node:crypto';

/** What taking a request's worth from a limiter gave. */
export type Allowance = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** Keys longer than this are held as a digest, so what a key costs does not depend on what a client sends. */
const longestKey = 64;

/**
 * A token bucket per key (an address, a conversation): up to `limit` at once, refilled evenly over `windowMs`
 * (a minute unless said). Bounded: beyond `maxKeys`, the key used longest ago is forgotten (which only ever
 * forgives it), and a long key is held as its SHA-256. In memory, per instance: with several instances a client's
 * budget is this times the instances it reaches.
 */
export class RateLimiter {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();
    private readonly perMs: number;

    constructor(
        private readonly limit: number,
        private readonly now: () => number = Date.now,
        private readonly maxKeys = 100_000,
        windowMs = 60_000,
    ) {
        this.perMs = limit / windowMs;
    }

    /** Takes one request's worth for `key`; when none is left, says how long until there is. */
    take(given: string): Allowance {
        const key = given.length > longestKey ? createHash('sha256').update(given).digest('base64') : given;
        const now = this.now();
        const bucket = this.buckets.get(key) ?? { tokens: this.limit, at: now };
        // A clock set back (tests, demo traffic) refills nothing, and takes nothing either.
        bucket.tokens = Math.min(this.limit, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
        bucket.at = now;
        // Re-inserted, so the map's order is least recently used first.
        this.buckets.delete(key);
        this.buckets.set(key, bucket);
        if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return { ok: true };
        }
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
    }

    /** Keys held (bounded by `maxKeys`). */
    get size(): number {
        return this.buckets.size;
    }
}
