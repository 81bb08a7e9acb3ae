/**
 * Benchmarks the assistant (docs/performance.md says what each part measures):
 *   npm run bench [-- --quick] [-- --profile DIR]
 * Prints a table and writes the figures, with the machine they were measured on, to bench/results/. Each
 * comparison runs side by side in the same run, so the ratios hold even on a noisy machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../bot/config';
import { runDirectLine } from './bench/directLine';
import { runEndToEnd } from './bench/endToEnd';
import { describeMachine } from './bench/machine';
import { runMatching } from './bench/matching';
import { runMemory } from './bench/memory';
import { formatResults, judgeTargets, type BenchResults } from './bench/report';
import { benchSettings, resultsDir } from './bench/settings';

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: { quick: { type: 'boolean', default: false }, profile: { type: 'string' } },
    });
    const started = new Date();
    const profileDir = values.profile && path.resolve(values.profile);
    const settings = benchSettings(values.quick, profileDir);
    const machine = describeMachine();
    const clock = performance.now();
    const progress = (line: string) =>
        process.stderr.write(`[${((performance.now() - clock) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

    const matching = await runMatching(settings, progress);
    const endToEnd = await runEndToEnd(settings, progress);
    const directLine = await runDirectLine(settings, progress);
    const memory = await runMemory(settings, progress);
    const measured = { startedAt: started.toISOString(), quick: settings.quick, machine, matching };
    const partial = { ...measured, endToEnd, directLine, memory };
    const results: BenchResults = {
        ...partial,
        wallSeconds: (performance.now() - clock) / 1000,
        targets: judgeTargets(partial, benchSettings(false).memory.conversations),
    };

    const file = path.join(
        projectRoot,
        resultsDir,
        `${started.toISOString().slice(0, 19).replace(/:/g, '')}-${machine.commit}${settings.quick ? '-quick' : ''}.json`,
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${formatResults(results)}\n\nWritten to ${path.relative(projectRoot, file)}\n`);
    if (profileDir) process.stdout.write(`CPU profiles in ${profileDir} (one folder per process)\n`);

    // Errors under load are not a result to read past: they fail the run.
    const failed = [
        ...endToEnd
            .filter((r) => r.non2xx + r.errors + r.timeouts > 0)
            .map((r) => `${r.server}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`),
        ...(directLine.failures > 0 ? [`Direct Line: ${directLine.failures} messages failed`] : []),
        ...(memory.failures > 0 ? [`memory: ${memory.failures} conversations failed`] : []),
    ];
    for (const line of failed) process.stderr.write(`FAILED ${line}\n`);
    return failed.length > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`The benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
    },
);
