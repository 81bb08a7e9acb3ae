/** The line prefix the monitor writes its samples after, on the service's standard error. */
export const monitorPrefix = 'SOAK_MONITOR ';

/** Event-loop delay over a span of time, in milliseconds. */
export interface DelayStats {
    /** How many times the 10 ms timer measured the loop. */
    readonly count: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
}

/** What the service process says about itself: every 5 s (`interval`), or at once on SIGUSR2 (`mark`). */
export interface MonitorSample {
    readonly kind: 'interval' | 'mark';
    /** When it was taken (epoch milliseconds). */
    readonly at: number;
    /** Bytes, as `process.memoryUsage()` gives them. */
    readonly rss: number;
    readonly heapUsed: number;
    readonly heapTotal: number;
    readonly external: number;
    readonly arrayBuffers: number;
    /** The largest resident set so far, in bytes (`process.resourceUsage().maxRSS`). */
    readonly maxRss: number;
    /** CPU time used since the process started, in milliseconds. */
    readonly cpuMs: { readonly user: number; readonly system: number };
    /** For `interval`: the delay in the last 5 s; for `mark`: since the previous mark (the measured window). */
    readonly delay: DelayStats;
    /** For `mark`, when the service runs with --expose-gc: memory right after a full collection. */
    readonly afterGc?: { readonly rss: number; readonly heapUsed: number };
}
