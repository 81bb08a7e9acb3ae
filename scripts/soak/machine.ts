import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { projectRoot } from '../../bot/config';

/** The machine and code a run measured, so figures from different runs can be compared fairly. */
export interface MachineFacts {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryBytes: number;
    readonly node: string;
    readonly os: string;
    readonly gitCommit: string;
    /** Uncommitted changes in the working tree when the run started. */
    readonly gitDirty: boolean;
    /** The 1-, 5- and 15-minute load averages at the start (another busy process shows here). */
    readonly loadAverageAtStart: readonly number[];
}

const git = (...args: string[]) => {
    try {
        return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
        return undefined;
    }
};

/** Facts about this machine and the checked-out code. */
export function machineFacts(): MachineFacts {
    const cpus = os.cpus();
    return {
        cpu: cpus[0]?.model.trim() ?? 'unknown',
        cores: cpus.length,
        memoryBytes: os.totalmem(),
        node: process.version,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        gitCommit: git('rev-parse', 'HEAD')?.trim() ?? 'unknown',
        gitDirty: (git('status', '--porcelain') ?? '').trim() !== '',
        loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
    };
}
