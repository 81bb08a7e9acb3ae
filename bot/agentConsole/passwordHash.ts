import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** The scrypt cost settings written into each hash, so they can be raised later without breaking old hashes. */
export interface ScryptCost {
    readonly N: number;
    readonly r: number;
    readonly p: number;
}

/** One of OWASP's equivalent scrypt minimums, chosen for 32 MiB per check rather than 128 on a small VM. */
export const defaultScryptCost: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };

const keyLength = 32;
// A hash from a tampered agents file must not make the server allocate gigabytes or spin for minutes.
const maximumN = 2 ** 20;
const maximumRp = 64;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
    const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
    return new Promise((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
            error ? reject(error) : resolve(key),
        ),
    );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (salt and hash in base64url). */
export async function hashPassword(password: string, cost: ScryptCost = defaultScryptCost): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, cost);
    return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when the password matches a hash made by `hashPassword`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    const validN = Number.isInteger(N) && N > 1 && N <= maximumN && (N & (N - 1)) === 0;
    const validRp = [r, p].every((v) => Number.isInteger(v) && v >= 1 && v <= maximumRp);
    if (!validN || !validRp) return false;
    const salt = Buffer.from(parts[4] ?? '', 'base64url');
    const expected = Buffer.from(parts[5] ?? '', 'base64url');
    if (salt.length < 8 || expected.length !== keyLength) return false;
    const actual = await derive(password, salt, { N, r, p });
    return timingSafeEqual(actual, expected);
}
