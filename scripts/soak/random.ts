/** A small deterministic random source (Park–Miller), so a soak run's choices can be repeated exactly. */
export type Random = () => number;

/** A random source in [0, 1) from a whole-number seed. */
export function createRandom(seed: number): Random {
    let state = Math.abs(Math.trunc(seed)) % 2147483647 || 1;
    return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/** One item of a non-empty list, chosen by `random`. */
export function pick<T>(random: Random, list: readonly T[]): T {
    return list[Math.floor(random() * list.length)] as T;
}

/** A whole number from `min` to `max`, both included. */
export function between(random: Random, min: number, max: number): number {
    return min + Math.floor(random() * (max - min + 1));
}
