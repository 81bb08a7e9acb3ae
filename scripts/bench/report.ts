import type { DirectLineResult } from './directLine';
import type { EndToEndRow } from './endToEnd';
import type { Machine } from './machine';
import type { MatchingRow } from './matching';
import type { MemoryResult } from './memory';

/** Everything one run measured, as written to bench/results. */
export interface BenchResults {
    readonly startedAt: string;
    readonly quick: boolean;
    readonly wallSeconds: number;
    readonly machine: Machine;
    readonly matching: readonly MatchingRow[];
    readonly endToEnd: readonly EndToEndRow[];
    readonly directLine: DirectLineResult;
    readonly memory: MemoryResult;
    readonly targets: readonly Target[];
}

/** A target from the design brief and whether this run met it. */
export interface Target {
    readonly name: string;
    readonly measured: string;
    /** Undefined when this run cannot judge it (a quick run's smaller memory test). */
    readonly met: boolean | undefined;
}

const ms = (value: number | undefined) =>
    value === undefined ? '-' : value < 10 ? `${value.toFixed(3)} ms` : `${value.toFixed(0)} ms`;
const seconds = (value: number | undefined) => (value === undefined ? '-' : `${(value / 1000).toFixed(2)} s`);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Judges the brief's targets against a run's figures. */
export function judgeTargets(results: Omit<BenchResults, 'targets' | 'wallSeconds'>, fullMemoryCount: number) {
    const largest = (contender: string) =>
        results.matching.find((r) => r.knowledge === '5000' && r.contender === contender);
    const sample = (contender: string) =>
        results.matching.find((r) => r.knowledge === 'sample' && r.contender === contender)?.accuracy;
    const engine = largest('engine');
    const accuracy = (contender: string) => {
        const a = sample(contender);
        return a ? a.correct / a.of : undefined;
    };
    const ours = accuracy('engine') ?? 0;
    const sqlite = results.endToEnd.find((r) => r.server === 'app, SQLite state');
    const { memory } = results;
    const targets: Target[] = [
        {
            // Judged on the per-question medians: on a shared machine the raw p99 measures the neighbours.
            name: 'matching p99 ≤ 1 ms at 5,000 services (one core)',
            measured:
                `${ms(engine?.steady?.questionMedianP99Ms)} (p99 of per-question medians; ` +
                `of all samples ${ms(engine?.steady?.p99Ms)})`,
            met: (engine?.steady?.questionMedianP99Ms ?? Infinity) <= 1,
        },
        {
            name: 'matching at least as accurate as Fuse.js and NLP.js',
            measured: ['engine', 'fuse', 'nlpjs']
                .map((c) => `${c} ${accuracy(c) === undefined ? '-' : pct(accuracy(c) as number)}`)
                .join(', '),
            met: ['fuse', 'nlpjs'].every((c) => ours >= (accuracy(c) ?? 0)),
        },
        {
            name: 'start-up ≤ 2 s at 5,000 services',
            measured: seconds(engine?.startupMs),
            met: engine?.startupMs !== undefined && engine.startupMs <= 2000,
        },
        {
            name: "end to end ≥ 50% of the echo bot's requests/s (SQLite state)",
            measured: sqlite?.ofEcho === undefined ? '-' : pct(sqlite.ofEcho),
            met: (sqlite?.ofEcho ?? 0) >= 0.5,
        },
        {
            name: 'end to end p99 ≤ 50 ms at 32 concurrent conversations (SQLite state)',
            measured: ms(sqlite?.p99Ms),
            met: sqlite !== undefined && sqlite.p99Ms <= 50,
        },
        {
            name: '≤ 300 MB RSS at 10,000 live conversations',
            measured: `${memory.rssMb.toFixed(0)} MB at ${memory.conversations.toLocaleString('en-GB')}`,
            met: memory.conversations >= fullMemoryCount ? memory.rssMb <= 300 : undefined,
        },
    ];
    return targets;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => c.padEnd(widths[i] as number))
            .join('  ')
            .trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The run as plain-text tables: what `npm run bench` prints and docs/performance.md quotes. */
export function formatResults(results: BenchResults): string {
    const m = results.machine;
    const out: string[] = [
        `council-assistant benchmark, ${results.quick ? 'quick' : 'full'} run, ${results.startedAt}, ` +
            `${results.wallSeconds.toFixed(0)} s`,
        `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node.js ${m.node}, ` +
            `commit ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}`,
        '',
        'Matching: one question at a time on one core (engine: understand + route, as the bot calls them)',
    ];
    out.push(
        ...table(
            [
                'knowledge',
                'services',
                'contender',
                'start-up',
                'of which index/train',
                'heap',
                'p50',
                'p99',
                'p99 of medians',
                'p99 first sight',
                'questions/s',
                'samples',
                `accuracy (service + none cases${results.quick ? ', a fifth of them: quick run' : ''}): cases.yaml; real text`,
            ],
            results.matching.map((r) =>
                r.skipped
                    ? [r.knowledge, String(r.services), r.contender, r.skipped]
                    : [
                          r.knowledge,
                          String(r.services),
                          r.contender,
                          seconds(r.startupMs),
                          seconds(r.buildMs),
                          `${(r.heapMb ?? 0).toFixed(1)} MB`,
                          ms(r.steady?.p50Ms),
                          ms(r.steady?.p99Ms),
                          ms(r.steady?.questionMedianP99Ms),
                          ms(r.firstSight?.p99Ms),
                          (r.steady?.perSecond ?? 0).toFixed(0),
                          String(r.steady?.samples ?? 0),
                          r.accuracy
                              ? [r.accuracy, ...(r.accuracy.more ?? [])]
                                    .map(
                                        (a) =>
                                            `${'label' in a ? `${a.label as string} ` : ''}` +
                                            `${a.correct}/${a.of} ${pct(a.correct / a.of)}` +
                                            (a.evaluationTop1 === undefined
                                                ? ''
                                                : ` (eval top-1 ${pct(a.evaluationTop1)} of ${a.evaluationCases})`),
                                    )
                                    .join('; ')
                              : '',
                      ],
            ),
        ),
    );
    const e2e = results.endToEnd;
    out.push(
        '',
        'End to end: POST /api/messages with expectReplies, 32 connections, each request another conversation',
    );
    out.push(
        ...table(
            [
                'server',
                'requests/s',
                'p50',
                'p99',
                'requests',
                'non-2xx',
                'errors',
                'of echo',
                'event loop delay p99/max',
            ],
            e2e.map((r) => [
                r.server,
                r.requestsPerSecond.toFixed(0),
                ms(r.p50Ms),
                ms(r.p99Ms),
                String(r.requests),
                String(r.non2xx),
                String(r.errors + r.timeouts),
                r.ofEcho === undefined ? '' : pct(r.ofEcho),
                r.eventLoopDelay ? `${ms(r.eventLoopDelay.p99Ms)} / ${ms(r.eventLoopDelay.maxMs)}` : '',
            ]),
        ),
    );
    const dl = results.directLine;
    out.push('', 'Direct Line (built in): conversations started, and message round trips over the WebSocket stream');
    out.push(
        ...table(
            [
                'conversations',
                'started/s',
                'messages each',
                'messages/s',
                'round trip p50',
                'p99',
                'samples',
                'failures',
            ],
            [
                [
                    String(dl.conversations),
                    `${dl.startedPerSecond.toFixed(0)} (${dl.startConcurrency} at once)`,
                    String(dl.messagesPerConversation),
                    dl.messagesPerSecond.toFixed(0),
                    ms(dl.roundTrip.p50Ms),
                    ms(dl.roundTrip.p99Ms),
                    String(dl.roundTrip.samples),
                    String(dl.failures),
                ],
            ],
        ),
    );
    const mem = results.memory;
    out.push('', 'Memory: the app process (VmRSS) with live conversations, each started through Direct Line');
    out.push(
        ...table(
            ['live conversations', 'RSS idle', 'RSS with them', 'peak RSS', 'heap after GC', 'per conversation'],
            [
                [
                    mem.conversations.toLocaleString('en-GB') + (results.quick ? ' (quick run)' : ''),
                    `${mem.baselineRssMb.toFixed(0)} MB`,
                    `${mem.rssMb.toFixed(0)} MB`,
                    `${mem.peakRssMb.toFixed(0)} MB`,
                    `${mem.heapUsedMb.toFixed(0)} MB`,
                    `${mem.perConversationKb.toFixed(1)} KB`,
                ],
            ],
        ),
    );
    out.push('', 'Targets');
    out.push(
        ...table(
            ['target', 'measured', 'met'],
            results.targets.map((t) => [
                t.name,
                t.measured,
                t.met === undefined ? 'not judged (quick run)' : t.met ? 'met' : 'MISSED',
            ]),
        ),
    );
    return out.join('\n');
}
