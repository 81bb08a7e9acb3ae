import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../bot/config';

/** One running instance of the service, started as `npm start` does, in a process of its own. */
export interface Instance {
    readonly name: string;
    readonly url: string;
    readonly pid: number;
    /** Everything it logged, a JSON line each. */
    readonly logs: string[];
    /** SIGTERM, and waits for it to stop cleanly. */
    stop(): Promise<void>;
    /** SIGKILL: gone at once, mid-whatever. */
    kill(): Promise<void>;
}

const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) =>
        child.exitCode !== null || child.signalCode ? resolve() : child.on('exit', () => resolve()),
    );

/** Starts `bot/index.ts` on a free loopback port with `env`, and resolves once it listens. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bot', 'index.ts')], {
        cwd: projectRoot,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        const timer = setTimeout(() => reject(new Error(`${name} did not start in 30 s: ${stderr}`)), 30_000);
        child.stdout?.on('data', (chunk: Buffer) => {
            buffer += chunk.toString('utf8');
            let end;
            while ((end = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, end);
                buffer = buffer.slice(end + 1);
                logs.push(line);
                if (line.includes('"message":"server.listening"')) {
                    clearTimeout(timer);
                    resolve((JSON.parse(line) as { url: string }).url);
                }
            }
        });
        child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`${name} exited with ${code} before listening: ${stderr}`));
        });
    });
    return {
        name,
        url,
        pid: child.pid ?? 0,
        logs,
        stop: async () => {
            child.kill('SIGTERM');
            await exited(child);
        },
        kill: async () => {
            child.kill('SIGKILL');
            await exited(child);
        },
    };
}
