import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../bot/config';
import { isLoopbackHost } from './options';
import { monitorPrefix, type MonitorSample } from './monitorSample';

/** The service under soak, in a process of its own, as `npm start` runs it plus the monitor. */
export interface ServiceProcess {
    readonly url: string;
    readonly pid: number;
    /** Every sample the monitor has written so far, oldest first. */
    readonly samples: readonly MonitorSample[];
    /** Log lines at each level (the service logs JSON at info, so warnings and errors can be counted). */
    readonly logLevels: Readonly<Record<string, number>>;
    /** The first warning and error lines (already redacted by the service's logger). */
    readonly problems: readonly string[];
    /** Asks the monitor for a mark (SIGUSR2) and resolves with it. */
    mark(timeoutMs?: number): Promise<MonitorSample>;
    /** SIGTERM by PID, and waits for a clean exit (SIGKILL after `graceMs`); resolves with the exit code. */
    stop(graceMs?: number): Promise<number | null>;
}

const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) =>
        child.exitCode !== null || child.signalCode ? resolve() : child.once('exit', () => resolve()),
    );

/** Calls `each` with every whole line of a stream. */
function lines(stream: NodeJS.ReadableStream | null, each: (line: string) => void): void {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let end;
        while ((end = buffer.indexOf('\n')) >= 0) {
            each(buffer.slice(0, end));
            buffer = buffer.slice(end + 1);
        }
    });
}

/**
 * Starts `bot/index.ts` with the monitor preloaded, `env` and any extra Node.js options (e.g. --cpu-prof), and
 * resolves once it listens on loopback.
 */
export async function startService(env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<ServiceProcess> {
    const monitor = pathToFileURL(path.join(__dirname, 'monitor.ts')).href;
    const child = spawn(
        process.execPath,
        // --expose-gc lets the monitor collect before measuring the heap at a mark; nothing else calls gc().
        ['--expose-gc', ...nodeArgs, '--import', 'tsx', '--import', monitor, path.join(projectRoot, 'bot', 'index.ts')],
        // A process group of its own: Ctrl-C reaches the soak only, which winds the load down, then stops this.
        { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const samples: MonitorSample[] = [];
    const logLevels: Record<string, number> = {};
    const problems: string[] = [];
    let stderrTail = '';
    let marked: ((sample: MonitorSample) => void) | undefined;
    let listening: ((url: string) => void) | undefined;

    lines(child.stderr, (line) => {
        if (!line.startsWith(monitorPrefix)) {
            stderrTail = `${stderrTail}${line}\n`.slice(-4000);
            return;
        }
        const sample = JSON.parse(line.slice(monitorPrefix.length)) as MonitorSample;
        samples.push(sample);
        if (sample.kind === 'mark') marked?.(sample);
    });
    lines(child.stdout, (line) => {
        let entry: { level?: string; message?: string; url?: string };
        try {
            entry = JSON.parse(line) as typeof entry;
        } catch {
            entry = { level: 'unparsed' };
        }
        const level = entry.level ?? 'unknown';
        logLevels[level] = (logLevels[level] ?? 0) + 1;
        if (level !== 'info' && level !== 'debug' && problems.length < 20) problems.push(line.slice(0, 1000));
        if (entry.message === 'server.listening' && entry.url) listening?.(entry.url);
    });

    const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the service did not start in 60 s:\n${stderrTail}`)), 60_000);
        listening = (at) => {
            clearTimeout(timer);
            resolve(at);
        };
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`the service exited with ${code} before listening:\n${stderrTail}`));
        });
    });
    const pid = child.pid as number;
    const stop = async (graceMs = 15_000) => {
        if (child.exitCode === null && !child.signalCode) {
            process.kill(pid, 'SIGTERM');
            const force = setTimeout(() => {
                if (child.exitCode === null && !child.signalCode) process.kill(pid, 'SIGKILL');
            }, graceMs);
            await exited(child);
            clearTimeout(force);
        }
        return child.exitCode;
    };
    if (!isLoopbackHost(new URL(url).hostname)) {
        await stop();
        throw new Error(`the service listens on ${url}, not on loopback: the soak refuses to load it`);
    }
    return {
        url,
        pid,
        samples,
        logLevels,
        problems,
        mark: (timeoutMs = 15_000) =>
            new Promise<MonitorSample>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`no monitor mark within ${timeoutMs} ms`)), timeoutMs);
                marked = (sample) => {
                    clearTimeout(timer);
                    marked = undefined;
                    resolve(sample);
                };
                process.kill(pid, 'SIGUSR2');
            }),
        stop,
    };
}
