import os from 'node:os';
import type { MachineFacts } from './machine';
import type { DelayStats, MonitorSample } from './monitorSample';
import type { SoakOptions } from './options';
import { mib, oneDecimal, percentile, slope } from './stats';
import type { FailureKind, Tally } from './tally';

/** One progress line: what happened in one interval of the measured window. */
export interface ProgressLine {
    readonly elapsedSeconds: number;
    readonly messages: number;
    readonly replies: number;
    readonly errors: number;
    readonly messagesPerSecond: number;
    readonly conversationsStarted: number;
    readonly latencyP50Ms: number;
    readonly latencyP99Ms: number;
    readonly rssMiB: number;
    readonly heapUsedMiB: number;
    readonly loopDelayP99Ms: number;
    readonly loopDelayMaxMs: number;
    /** The machine's 1-minute load average: above the core count, something else was competing for the CPU. */
    readonly loadAverage: number;
}

/** Everything a soak run found, as written to bench/results. */
export interface SoakResult {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly passed: boolean;
    readonly interrupted: boolean;
    readonly options: SoakOptions & { readonly warmupSeconds: number; readonly thinkMs: readonly number[] };
    readonly store: 'sqlite' | 'postgres';
    readonly machine: MachineFacts & { readonly loadAverageAtEnd: readonly number[] };
    readonly measuredSeconds: number;
    readonly conversations: {
        readonly started: number;
        readonly directLine: number;
        readonly messages: number;
        readonly endedByResident: number;
        readonly casesCreated: number;
    };
    readonly messages: {
        readonly sent: number;
        readonly directLine: number;
        readonly messages: number;
        readonly perSecond: number;
    };
    readonly replies: number;
    readonly botActivities: number;
    readonly errors: {
        readonly total: number;
        readonly warmup: number;
        readonly measured: number;
        readonly byKind: Record<FailureKind, number>;
        readonly examples: readonly string[];
    };
    readonly rssMiB: {
        readonly start: number;
        readonly end: number;
        readonly growth: number;
        readonly max: number;
        /** Least-squares slope over the measured window's 5-second samples. */
        readonly slopePerMinute: number;
    };
    /** The live heap right after a full collection, at the start and end of the measured window. */
    readonly heapAfterGcMiB: { readonly start: number; readonly end: number; readonly growth: number } | undefined;
    readonly eventLoopDelayMs: DelayStats;
    readonly latencyMs: {
        readonly p50: number;
        readonly p99: number;
        readonly max: number;
        readonly directLine: { readonly p50: number; readonly p99: number };
        readonly messages: { readonly p50: number; readonly p99: number };
    };
    /** The service's CPU time over the measured window, as a share of one core. */
    readonly serviceCpuPercent: number;
    readonly serviceLog: { readonly levels: Readonly<Record<string, number>>; readonly problems: readonly string[] };
    readonly serviceExitCode: number | null;
    readonly progress: readonly ProgressLine[];
    /** The monitor's samples from the measured window. */
    readonly samples: readonly MonitorSample[];
}

/** What the soak's main loop hands over to be summarised. */
export interface RunRecord {
    readonly options: SoakOptions;
    readonly warmupSeconds: number;
    readonly thinkMs: readonly number[];
    readonly machine: MachineFacts;
    readonly startedAt: Date;
    readonly warmup: Tally;
    readonly measured: Tally;
    readonly startMark: MonitorSample;
    readonly endMark: MonitorSample;
    readonly samples: readonly MonitorSample[];
    readonly progress: readonly ProgressLine[];
    readonly serviceLog: SoakResult['serviceLog'];
    readonly serviceExitCode: number | null;
    readonly interrupted: boolean;
    /** Failures outside any conversation (the service stopping uncleanly, a mark that never came). */
    readonly runFailures: readonly string[];
}

const percentiles = (values: readonly number[]) => ({
    p50: oneDecimal(percentile(values, 50)),
    p99: oneDecimal(percentile(values, 99)),
});

/** Turns a run's tallies and the monitor's samples into the result. */
export function summarise(run: RunRecord): SoakResult {
    const { measured, warmup, startMark, endMark } = run;
    const seconds = (endMark.at - startMark.at) / 1000;
    const window = run.samples.filter((s) => s.at >= startMark.at && s.at <= endMark.at);
    const rssSeries = window.map((s) => s.rss);
    const cpuMs = endMark.cpuMs.user + endMark.cpuMs.system - (startMark.cpuMs.user + startMark.cpuMs.system);
    const total = warmup.errorCount + measured.errorCount + run.runFailures.length;
    const byKind = { ...measured.errors };
    for (const [kind, n] of Object.entries(warmup.errors)) byKind[kind as FailureKind] += n;
    return {
        startedAt: run.startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        passed: total === 0 && !run.interrupted,
        interrupted: run.interrupted,
        options: { ...run.options, warmupSeconds: run.warmupSeconds, thinkMs: run.thinkMs },
        store: run.options.postgres ? 'postgres' : 'sqlite',
        machine: { ...run.machine, loadAverageAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100) },
        measuredSeconds: oneDecimal(seconds),
        conversations: {
            started: measured.conversationsStarted,
            directLine: measured.conversationsBy.directLine,
            messages: measured.conversationsBy.messages,
            endedByResident: measured.conversationsEnded,
            casesCreated: measured.casesCreated,
        },
        messages: {
            sent: measured.messages,
            directLine: measured.messagesBy.directLine,
            messages: measured.messagesBy.messages,
            perSecond: oneDecimal(measured.messages / Math.max(seconds, 1)),
        },
        replies: measured.replies,
        botActivities: measured.botActivities,
        errors: {
            total,
            warmup: warmup.errorCount,
            measured: measured.errorCount,
            byKind,
            examples: [...run.runFailures, ...warmup.examples, ...measured.examples].slice(0, 20),
        },
        rssMiB: {
            start: mib(startMark.rss),
            end: mib(endMark.rss),
            growth: oneDecimal(mib(endMark.rss) - mib(startMark.rss)),
            max: mib(Math.max(...rssSeries, startMark.rss, endMark.rss)),
            slopePerMinute: oneDecimal(
                mib(slope(window.map((s) => ({ x: (s.at - startMark.at) / 60_000, y: s.rss })))),
            ),
        },
        heapAfterGcMiB:
            startMark.afterGc && endMark.afterGc
                ? {
                      start: mib(startMark.afterGc.heapUsed),
                      end: mib(endMark.afterGc.heapUsed),
                      growth: oneDecimal(mib(endMark.afterGc.heapUsed) - mib(startMark.afterGc.heapUsed)),
                  }
                : undefined,
        eventLoopDelayMs: endMark.delay,
        latencyMs: {
            ...percentiles(measured.latencies),
            max: oneDecimal(measured.latencies.reduce((m, n) => Math.max(m, n), 0)),
            directLine: percentiles(measured.latenciesBy.directLine),
            messages: percentiles(measured.latenciesBy.messages),
        },
        serviceCpuPercent: oneDecimal((cpuMs / Math.max(seconds * 1000, 1)) * 100),
        serviceLog: run.serviceLog,
        serviceExitCode: run.serviceExitCode,
        progress: run.progress,
        samples: window,
    };
}

/** The result as a two-column Markdown table, for the terminal and for docs/reliability.md. */
export function resultTable(r: SoakResult): string {
    const gb = (bytes: number) => `${Math.round(bytes / 1024 ** 3)} GB`;
    const mins = (s: number) => `${oneDecimal(s / 60)} min`;
    const rows: [string, string][] = [
        ['machine', `${r.machine.cpu}, ${r.machine.cores} cores, ${gb(r.machine.memoryBytes)}, Node ${r.machine.node}`],
        [
            'load average (1 min) at start / end',
            `${r.machine.loadAverageAtStart[0]} / ${r.machine.loadAverageAtEnd[0]}`,
        ],
        ['store', r.store === 'postgres' ? 'PostgreSQL (fresh schema)' : 'SQLite (fresh file)'],
        ['duration', `${mins(r.measuredSeconds)} measured, after ${r.options.warmupSeconds} s of warm-up`],
        [
            'conversations at once',
            `${r.options.conversations} (${
                {
                    both: 'half Direct Line + WebSocket, half /api/messages',
                    directline: 'all Direct Line + WebSocket',
                    messages: 'all /api/messages',
                }[r.options.transport]
            })`,
        ],
        [
            'conversations started',
            `${r.conversations.started} (${r.conversations.directLine} Direct Line, ${r.conversations.messages} /api/messages); cases captured: ${r.conversations.casesCreated}`,
        ],
        ['messages sent', `${r.messages.sent} (${r.messages.perSecond}/s)`],
        ['replies received', `${r.replies} (${r.botActivities} bot activities)`],
        [
            'errors',
            `${r.errors.total}${r.errors.total > 0 ? ` (${describeKinds(r.errors.byKind)})` : ''} (warm-up ${r.errors.warmup}, measured ${r.errors.measured})`,
        ],
        ['RSS at start (after warm-up)', `${r.rssMiB.start} MiB`],
        ['RSS at end', `${r.rssMiB.end} MiB`],
        ['RSS growth', `${r.rssMiB.growth} MiB (trend ${r.rssMiB.slopePerMinute} MiB/min)`],
        ['max RSS', `${r.rssMiB.max} MiB`],
        [
            'heap after full GC, start → end',
            r.heapAfterGcMiB
                ? `${r.heapAfterGcMiB.start} → ${r.heapAfterGcMiB.end} MiB (${r.heapAfterGcMiB.growth >= 0 ? '+' : ''}${r.heapAfterGcMiB.growth})`
                : 'not measured',
        ],
        [
            'event-loop delay p50 / p99 / max',
            // monitorEventLoopDelay counts the 10 ms timer itself: an idle process reads about 10.2 / 13 ms.
            `${r.eventLoopDelayMs.p50} / ${r.eventLoopDelayMs.p99} / ${r.eventLoopDelayMs.max} ms (idle ≈ 10.2 / 13)`,
        ],
        [
            'reply latency p50 / p99 (max)',
            `${r.latencyMs.p50} / ${r.latencyMs.p99} ms (${r.latencyMs.max} ms); Direct Line ${r.latencyMs.directLine.p50} / ${r.latencyMs.directLine.p99}, /api/messages ${r.latencyMs.messages.p50} / ${r.latencyMs.messages.p99}`,
        ],
        ['service CPU', `${r.serviceCpuPercent}% of one core`],
        ...(r.options.diagnose
            ? [
                  [
                      'diagnostics',
                      'on: heap snapshots stall the service for seconds and raise its RSS; not comparable',
                  ] as [string, string],
              ]
            : []),
        ['service log warnings / errors', `${r.serviceLog.levels.warn ?? 0} / ${r.serviceLog.levels.error ?? 0}`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    return [
        `| ${'measure'.padEnd(width)} | value |`,
        `| ${'-'.repeat(width)} | ----- |`,
        ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`),
    ].join('\n');
}

function describeKinds(byKind: Record<string, number>): string {
    return Object.entries(byKind)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(', ');
}

/** One progress line for the terminal. */
export function progressText(line: ProgressLine): string {
    const whole = Math.round(line.elapsedSeconds);
    const at = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
    return (
        `[${at.padStart(5)}] ${String(line.messages).padStart(5)} msgs (${line.messagesPerSecond}/s), ` +
        `${line.replies} replies, ${line.errors} errors, ${line.conversationsStarted} new convs | ` +
        `latency p50 ${line.latencyP50Ms} p99 ${line.latencyP99Ms} ms | ` +
        `rss ${line.rssMiB} MiB heap ${line.heapUsedMiB} MiB | loop p99 ${line.loopDelayP99Ms} max ${line.loopDelayMaxMs} ms | ` +
        `load ${line.loadAverage}`
    );
}
