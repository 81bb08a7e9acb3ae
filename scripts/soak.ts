/**
 * The soak test: starts the service in a process of its own (SQLite, or PostgreSQL with --postgres) and keeps 50
 * residents talking to it for N minutes, half through the built-in Direct Line and its WebSocket stream, half
 * through /api/messages; then says whether anything failed and whether memory or the event loop drifted.
 *   npm run soak -- --minutes 10 [--postgres] [--conversations 50] [--seed 1] [--transport both] [--diagnose]
 * It talks only to the service it started, on 127.0.0.1, and exits non-zero on any error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../bot/config';
import { loadBotTexts } from './soak/botTexts';
import { soakEnvironment } from './soak/environment';
import { sleep } from './soak/http';
import { runLoad } from './soak/load';
import { machineFacts } from './soak/machine';
import type { MonitorSample } from './soak/monitorSample';
import { parseSoakArgs, SoakUsageError } from './soak/options';
import { createSoakSchema, type SoakSchema } from './soak/postgresSchema';
import { startService, type ServiceProcess } from './soak/service';
import { mib, oneDecimal, percentile } from './soak/stats';
import { progressText, resultTable, summarise, type ProgressLine } from './soak/summary';
import { Tally } from './soak/tally';

const thinkMs = [300, 1200] as const;
const say = (text: string) => process.stdout.write(`${text}\n`);

/** Waits until `deadline` (epoch ms), or less when `cut()` turns true. */
async function waitUntil(deadline: number, cut: () => boolean): Promise<void> {
    while (!cut() && Date.now() < deadline) await sleep(Math.min(250, deadline - Date.now()));
}

/** A progress line from an interval's tally and the monitor samples taken in it. */
function progressLine(
    tally: Tally,
    elapsedMs: number,
    spanMs: number,
    samples: readonly MonitorSample[],
): ProgressLine {
    const last = samples.at(-1);
    return {
        elapsedSeconds: Math.round(elapsedMs / 1000),
        messages: tally.messages,
        replies: tally.replies,
        errors: tally.errorCount,
        messagesPerSecond: oneDecimal(tally.messages / Math.max(spanMs / 1000, 1)),
        conversationsStarted: tally.conversationsStarted,
        latencyP50Ms: oneDecimal(percentile(tally.latencies, 50)),
        latencyP99Ms: oneDecimal(percentile(tally.latencies, 99)),
        rssMiB: last ? mib(last.rss) : 0,
        heapUsedMiB: last ? mib(last.heapUsed) : 0,
        loopDelayP99Ms: Math.max(0, ...samples.map((s) => s.delay.p99)),
        loopDelayMaxMs: Math.max(0, ...samples.map((s) => s.delay.max)),
        loadAverage: oneDecimal(os.loadavg()[0] ?? 0),
    };
}

async function main(): Promise<number> {
    const options = parseSoakArgs(process.argv.slice(2));
    const texts = loadBotTexts();
    const machine = machineFacts();
    const startedAt = new Date();
    // A short check gets a short warm-up; a real run lets the JIT and the stores settle first.
    const warmupSeconds = options.minutes >= 2 ? 30 : 10;
    const progressMs = options.minutes >= 2 ? 60_000 : 10_000;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'council-assistant-soak-'));
    let schema: SoakSchema | undefined;
    let service: ServiceProcess | undefined;
    let interrupted = false;
    let stopAt = Number.POSITIVE_INFINITY;
    const interrupt = (signal: NodeJS.Signals) => {
        if (interrupted) return;
        interrupted = true;
        say(`${signal}: stopping the conversations, then the service (PID ${service?.pid ?? 'not started'})…`);
    };
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
    process.on('SIGHUP', interrupt);
    try {
        if (options.postgres)
            schema = await createSoakSchema(process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/test');
        // Diagnostics outlive the run (the data folder does not): their folder is printed at the end.
        const diagnostics = options.diagnose
            ? fs.mkdtempSync(path.join(os.tmpdir(), 'council-assistant-soak-diagnostics-'))
            : undefined;
        service = await startService(
            { ...soakEnvironment(dataDir, schema?.url), ...(diagnostics && { SOAK_HEAP_SNAPSHOT_DIR: diagnostics }) },
            diagnostics ? ['--cpu-prof', '--cpu-prof-dir', diagnostics] : [],
        );
        const running = service;
        say(
            `Soak: service PID ${running.pid} at ${running.url} on ${schema ? `PostgreSQL (schema ${schema.name})` : 'SQLite'}; ` +
                `${options.conversations} conversations for ${options.minutes} min after ${warmupSeconds} s of warm-up.`,
        );
        const warmup = new Tally();
        const measured = new Tally();
        let phase = warmup;
        let interval = new Tally();
        const load = runLoad({
            baseUrl: running.url,
            slots: options.conversations,
            transport: options.transport,
            seed: options.seed,
            texts,
            thinkMs,
            tallies: () => [phase, interval],
            stopping: () => interrupted || Date.now() >= stopAt,
        });
        await waitUntil(Date.now() + warmupSeconds * 1000, () => interrupted);
        const startMark = await running.mark();
        phase = measured;
        interval = new Tally();
        const measuredFrom = startMark.at;
        stopAt = measuredFrom + options.minutes * 60_000;
        say(
            `Warm-up done: ${warmup.messages} messages, ${warmup.errorCount} errors; RSS ${mib(startMark.rss)} MiB. Measuring…`,
        );
        const progress: ProgressLine[] = [];
        let intervalFrom = measuredFrom;
        const report = () => {
            const now = Date.now();
            const samples = running.samples.filter((s) => s.kind === 'interval' && s.at > intervalFrom && s.at <= now);
            const line = progressLine(interval, now - measuredFrom, now - intervalFrom, samples);
            interval = new Tally();
            intervalFrom = now;
            progress.push(line);
            say(progressText(line));
        };
        for (let next = measuredFrom + progressMs; !interrupted && Date.now() < stopAt; next += progressMs) {
            await waitUntil(Math.min(next, stopAt), () => interrupted);
            if (Date.now() >= next - 50) report();
        }
        await load;
        if (interval.messages > 0 || interval.errorCount > 0) report();
        const runFailures: string[] = [];
        let endMark: MonitorSample;
        try {
            endMark = await running.mark();
        } catch (error) {
            runFailures.push(`the service gave no final sample: ${String(error)}`);
            endMark = running.samples.at(-1) ?? startMark;
        }
        const serviceExitCode = await running.stop();
        if (serviceExitCode !== 0) runFailures.push(`the service exited with ${serviceExitCode} on SIGTERM`);
        const result = summarise({
            options,
            warmupSeconds,
            thinkMs,
            machine,
            startedAt,
            warmup,
            measured,
            startMark,
            endMark,
            samples: running.samples,
            progress,
            serviceLog: { levels: { ...running.logLevels }, problems: [...running.problems] },
            serviceExitCode,
            interrupted,
            runFailures,
        });
        say(`\n${resultTable(result)}\n`);
        for (const example of result.errors.examples) say(`  error: ${example}`);
        for (const problem of result.serviceLog.problems) say(`  service log: ${problem}`);
        const folder = path.join(projectRoot, 'bench', 'results');
        fs.mkdirSync(folder, { recursive: true });
        const stamp = startedAt
            .toISOString()
            .replace(/\.\d+Z$/, 'Z')
            .replace(/:/g, '-');
        const file = path.join(folder, `soak-${stamp}${schema ? '-postgres' : ''}.json`);
        fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
        if (diagnostics) say(`CPU profile and heap snapshots: ${diagnostics}`);
        const verdict = result.passed ? 'Passed.' : result.interrupted ? 'Interrupted: not a pass.' : 'FAILED.';
        say(`Written ${path.relative(process.cwd(), file)}. ${verdict}`);
        return result.passed ? 0 : 1;
    } finally {
        await service?.stop();
        await schema?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(
            error instanceof SoakUsageError
                ? `${error.message}\n`
                : `The soak failed: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
        process.exit(error instanceof SoakUsageError ? 2 : 1);
    },
);
