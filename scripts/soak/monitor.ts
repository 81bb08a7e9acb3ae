/**
 * Preloaded into the soak's service process (`node --import`), so the soak measures the service from inside
 * without a line of bot/ knowing about it. Every 5 s it writes `SOAK_MONITOR {json}` to standard error: memory,
 * CPU time and the event-loop delay of those 5 s. On SIGUSR2 it writes a `mark` at once, with the delay since
 * the previous mark and memory after a full collection, and starts a new window: the soak marks the end of its
 * warm-up and the end of the run, so the window is exactly the measured minutes. With SOAK_HEAP_SNAPSHOT_DIR set,
 * each mark also writes a heap snapshot there (mark-1, mark-2), to compare what the window left behind.
 */
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { monitorPrefix, type DelayStats, type MonitorSample } from './monitorSample';

const everyMs = 5_000;
const ms = (ns: number) => Math.round(ns / 1e4) / 100;
const snapshotDir = process.env.SOAK_HEAP_SNAPSHOT_DIR;
let marks = 0;

// Two histograms: one read and reset every 5 s, one for the window between marks.
const interval = monitorEventLoopDelay({ resolution: 10 });
const window = monitorEventLoopDelay({ resolution: 10 });
interval.enable();
window.enable();

function delayOf(histogram: IntervalHistogram): DelayStats {
    // An empty histogram reports its minimum as a huge number and its mean as NaN.
    if (histogram.count === 0) return { count: 0, p50: 0, p99: 0, max: 0, mean: 0 };
    return {
        count: histogram.count,
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        mean: ms(histogram.mean),
    };
}

function sample(kind: MonitorSample['kind'], delay: DelayStats): MonitorSample {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
        kind,
        at: Date.now(),
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        maxRss: process.resourceUsage().maxRSS * 1024,
        cpuMs: { user: Math.round(cpu.user / 1000), system: Math.round(cpu.system / 1000) },
        delay,
    };
}

// Pipes are written synchronously on Linux, so a line is never interleaved with another writer's.
const write = (line: MonitorSample) => process.stderr.write(`${monitorPrefix}${JSON.stringify(line)}\n`);

const timer = setInterval(() => {
    write(sample('interval', delayOf(interval)));
    interval.reset();
}, everyMs);
// The monitor must never be what keeps the service from stopping.
timer.unref();

process.on('SIGUSR2', () => {
    const taken = sample('mark', delayOf(window));
    const gc = (globalThis as { gc?: () => void }).gc;
    let afterGc: MonitorSample['afterGc'];
    if (gc) {
        gc();
        afterGc = { rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed };
    }
    marks += 1;
    if (snapshotDir) writeHeapSnapshot(path.join(snapshotDir, `mark-${marks}.heapsnapshot`));
    write({ ...taken, ...(afterGc && { afterGc }) });
    // The collection's (and any snapshot's) pause belongs to neither window.
    window.reset();
    interval.reset();
});
