import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../bot/config';
import { BenchChild } from './child';
import type { AppServerSpec } from './appServer';
import type { BenchSettings } from './settings';

/** A server under test, in its own process. */
export interface BenchServer {
    readonly url: string;
    readonly pid: number;
    readonly child: BenchChild;
    /** Stops the process and removes its data folder. */
    stop(): Promise<void>;
}

/**
 * The app's environment for a benchmark: the sample knowledge, a fresh data folder, no file watching, and the
 * rate limits off, because every request comes from this one machine (a deployment keeps them on).
 */
function appEnvironment(dataDir: string, databaseUrl: string | undefined): Record<string, string> {
    return {
        KNOWLEDGE_DIR: path.join(projectRoot, 'knowledge', 'sample'),
        DATA_DIR: dataDir,
        AGENTS_FILE: path.join(dataDir, 'agents.json'),
        SESSION_SECRET: randomBytes(24).toString('hex'),
        KNOWLEDGE_WATCH: 'false',
        RATE_LIMIT_PER_ADDRESS: '0',
        RATE_LIMIT_NEW_CHATS: '0',
        RATE_LIMIT_PER_CONVERSATION: '0',
        RATE_LIMIT_CASES_PER_HOUR: '0',
        ...(databaseUrl && { DATABASE_URL: databaseUrl }),
    };
}

async function listening(child: BenchChild, cleanUp: () => void): Promise<BenchServer> {
    try {
        const { port } = await child.next<{ type: string; port: number }>('listening', 60_000);
        return {
            url: `http://127.0.0.1:${port}`,
            pid: child.pid,
            child,
            stop: async () => {
                await child.stop();
                cleanUp();
            },
        };
    } catch (error) {
        await child.stop();
        cleanUp();
        throw error;
    }
}

/** Starts the app (SQLite state in a temporary folder, or PostgreSQL when `databaseUrl` is given). */
export async function startApp(settings: BenchSettings, label: string, databaseUrl?: string): Promise<BenchServer> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-app-'));
    const spec: AppServerSpec = { env: appEnvironment(dataDir, databaseUrl) };
    const child = new BenchChild('appServer.ts', spec, settings.nodeArgs(label));
    return listening(child, () => fs.rmSync(dataDir, { recursive: true, force: true }));
}

/** Starts the echo bot. */
export async function startEcho(settings: BenchSettings): Promise<BenchServer> {
    return listening(new BenchChild('echoServer.ts', {}, settings.nodeArgs('echo')), () => undefined);
}

/** The resident set size of a process, in MB, from /proc (Linux). */
export function residentMb(pid: number): { rssMb: number; peakMb: number } {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}
