import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../bot/config';

/** A message a benchmark child sends its parent over IPC. */
export interface ChildMessage {
    readonly type: string;
    readonly [field: string]: unknown;
}

/** The child did not send the awaited message in time (it is still running). */
export class ChildTimeout extends Error {
    readonly code = 'BENCH_CHILD_TIMEOUT';
}

/** A TypeScript entry script running in its own Node.js process, talking to the benchmark over IPC. */
export class BenchChild {
    private readonly process: ChildProcess;
    private readonly inbox: ChildMessage[] = [];
    private waiting: (() => void) | undefined;
    private exited: number | null | undefined;
    private stderrTail = '';

    /**
     * @param script the entry script, relative to scripts/bench.
     * @param spec what it should do, handed over as JSON in its first argument.
     * @param nodeArgs extra Node.js options (e.g. --cpu-prof).
     */
    constructor(script: string, spec: unknown, nodeArgs: readonly string[] = []) {
        this.process = spawn(
            process.execPath,
            ['--expose-gc', ...nodeArgs, '--import', 'tsx', path.join(__dirname, script), JSON.stringify(spec)],
            // Standard output is dropped: the app logs every turn there, and the parent must not pay to read it.
            { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
        );
        this.process.stderr?.on('data', (chunk: Buffer) => {
            this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
        });
        this.process.on('message', (message: ChildMessage) => {
            this.inbox.push(message);
            this.waiting?.();
        });
        this.process.on('exit', (code) => {
            this.exited = code;
            this.waiting?.();
        });
    }

    get pid(): number {
        return this.process.pid as number;
    }

    /** The next message of this type; rejects when the child exits first or `timeoutMs` passes. */
    async next<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const at = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
            if (at >= 0) {
                const [message] = this.inbox.splice(at, 1) as [ChildMessage];
                if (message.type === 'error') throw new Error(`the child failed: ${String(message.message)}`);
                return message as T;
            }
            if (this.exited !== undefined) {
                throw new Error(`the child exited (${this.exited}) before "${type}": ${this.stderrTail.trim()}`);
            }
            const left = deadline - Date.now();
            if (left <= 0) throw new ChildTimeout(`no "${type}" within ${timeoutMs} ms`);
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, left);
                this.waiting = () => {
                    clearTimeout(timer);
                    resolve();
                };
            });
            this.waiting = undefined;
        }
    }

    /** Sends the child a message. */
    send(message: ChildMessage): void {
        this.process.send(message);
    }

    /** Asks the child to stop (SIGTERM), and kills it if it has not within `graceMs`. */
    async stop(graceMs = 10_000): Promise<void> {
        if (this.exited !== undefined) return;
        const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
        this.process.kill('SIGTERM');
        const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
    }
}

/** In a child: the spec its parent passed, and how to answer. */
export function childContext<Spec>(): { spec: Spec; send: (message: ChildMessage) => Promise<void> } {
    const send = (message: ChildMessage) =>
        new Promise<void>((resolve, reject) => {
            if (!process.send) throw new Error('run this through the benchmark (npm run bench), not on its own');
            process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
        });
    return { spec: JSON.parse(process.argv[2] ?? '{}') as Spec, send };
}

/** In a child: reports an error to the parent and exits. */
export function failChild(error: unknown): void {
    const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    process.send?.({ type: 'error', message }, () => process.exit(1));
}
