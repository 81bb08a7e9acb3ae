/** Failed sign-ins allowed for a username before it is locked. */
const freeFailures = 5;
/** The first lock; each further failure while at the limit doubles it, up to the longest. */
const firstLockMs = 60_000;
const longestLockMs = 60 * 60_000;
/** Usernames remembered at most (the one failed longest ago is forgotten first). */
const maxUsernames = 10_000;

/**
 * Slows password guessing: after five failed sign-ins for a username, it is locked for a minute, doubling with each
 * further failure up to an hour, whatever the password (a right one included), so guessing gains nothing. Unknown
 * usernames are treated alike, so the lock does not reveal which exist. A successful sign-in clears the count. In
 * memory, per instance.
 */
export class SignInThrottle {
    private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

    constructor(private readonly now: () => number = Date.now) {}

    /** Seconds until `username` may try again; 0 when it may now. */
    waitSeconds(username: string): number {
        const entry = this.failures.get(username);
        const wait = entry ? entry.lockedUntil - this.now() : 0;
        return wait > 0 ? Math.ceil(wait / 1000) : 0;
    }

    failed(username: string): void {
        const entry = this.failures.get(username) ?? { count: 0, lockedUntil: 0 };
        entry.count += 1;
        if (entry.count >= freeFailures) {
            const lock = Math.min(longestLockMs, firstLockMs * 2 ** (entry.count - freeFailures));
            entry.lockedUntil = this.now() + lock;
        }
        this.failures.delete(username);
        this.failures.set(username, entry);
        if (this.failures.size > maxUsernames) this.failures.delete(this.failures.keys().next().value as string);
    }

    succeeded(username: string): void {
        this.failures.delete(username);
    }
}
