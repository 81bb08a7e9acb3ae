/** A seeded pseudo-random source (mulberry32): the same seed always gives the same sequence. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** One item of a non-empty list, chosen by `random`. */
export function pick<T>(random: () => number, items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick: the list is empty');
    return items[Math.floor(random() * items.length)] as T;
}

/** A shuffled copy of a list (Fisher–Yates), driven by `random`. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
}
