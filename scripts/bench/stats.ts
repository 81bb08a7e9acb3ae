/** A percentile (nearest rank) of some numbers; `p` from 0 to 100. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return Number.NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** The arithmetic mean. */
export function mean(values: readonly number[]): number {
    return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Latency figures in milliseconds from samples in nanoseconds. */
export interface LatencySummary {
    readonly samples: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly meanMs: number;
    /** One after another on one core: 1000 / mean. */
    readonly perSecond: number;
    /**
     * The 99th percentile over questions of each question's median time, when every question was timed at least
     * three times: a thread descheduled by a busy machine slows one pass, not the median, so this is the code's
     * own tail.
     */
    readonly questionMedianP99Ms?: number;
}

/** Summarises latency samples given in nanoseconds; `questionOf` says which question each sample timed. */
export function summariseLatency(nanoseconds: readonly number[], questionOf?: readonly number[]): LatencySummary {
    const ms = nanoseconds.map((ns) => ns / 1e6);
    const average = mean(ms);
    const byQuestion = new Map<number, number[]>();
    questionOf?.forEach((question, i) =>
        byQuestion.set(question, [...(byQuestion.get(question) ?? []), ms[i] as number]),
    );
    const timings = [...byQuestion.values()];
    const medians = timings.every((t) => t.length >= 3) ? timings.map((t) => percentile(t, 50)) : [];
    return {
        samples: ms.length,
        p50Ms: percentile(ms, 50),
        p99Ms: percentile(ms, 99),
        meanMs: average,
        perSecond: 1000 / average,
        ...(medians.length > 0 && { questionMedianP99Ms: percentile(medians, 99) }),
    };
}
