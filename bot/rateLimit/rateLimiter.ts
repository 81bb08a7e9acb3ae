/** What taking a request's worth from a limiter gave. */
export type Allowance = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/**
 * A token bucket per key (an address, a conversation): up to `perMinute` at once, refilled evenly over a minute.
 * Bounded: beyond `maxKeys`, the key used longest ago is forgotten (which only ever forgives it). In memory, per
 * instance: with several instances a client's budget is this times the instances it reaches.
 */
export class RateLimiter {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();
    private readonly perMs: number;

    constructor(
        private readonly perMinute: number,
        private readonly now: () => number = Date.now,
        private readonly maxKeys = 100_000,
    ) {
        this.perMs = perMinute / 60_000;
    }

    /** Takes one request's worth for `key`; when none is left, says how long until there is. */
    take(key: string): Allowance {
        const now = this.now();
        const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
        bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
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
