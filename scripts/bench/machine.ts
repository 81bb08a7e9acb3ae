import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { projectRoot } from '../../bot/config';

/** What the figures were measured on. */
export interface Machine {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGb: number;
    readonly os: string;
    readonly node: string;
    readonly commit: string;
    /** Uncommitted changes in the working tree when the run started. */
    readonly dirty: boolean;
}

function git(...args: string[]): string {
    try {
        return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
    } catch {
        return '';
    }
}

/** Describes this machine and the code under test. */
export function describeMachine(): Machine {
    const release = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '';
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1];
    return {
        cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
        cores: os.availableParallelism(),
        memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
        os: `${pretty ?? os.type()} (${os.type()} ${os.release()})`,
        node: process.version,
        commit: git('rev-parse', '--short=10', 'HEAD') || 'unknown',
        dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    };
}
