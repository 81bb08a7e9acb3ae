import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../bot/config';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

function brokenKnowledge(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-knowledge-'));
    fs.cpSync(path.join(projectRoot, 'knowledge', 'sample'), dir, { recursive: true });
    const file = path.join(dir, 'services', 'waste.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('related:')) + 1;
    fs.writeFileSync(file, text.replace(/related: \[/, 'related: [no-such-service, '));
    return `${dir}|${line}`;
}

describe('command-line checks', function () {
    this.timeout(60_000);

    it('knowledge:check accepts the shipped sample', () => {
        const run = spawnSync(tsx, ['scripts/knowledgeCheck.ts'], { cwd: projectRoot, encoding: 'utf8' });
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/valid — \d+ services/);
    });

    it('a knowledge mistake stops start-up with exit code 1, naming file, line and field', () => {
        const [dir, line] = brokenKnowledge().split('|');
        const run = spawnSync(tsx, ['bot/index.ts'], {
            cwd: projectRoot,
            encoding: 'utf8',
            env: { ...process.env, KNOWLEDGE_DIR: dir, DATA_DIR: path.join(dir as string, 'data'), PORT: '0' },
        });
        expect(run.status).to.equal(1);
        expect(run.stderr).to.match(
            new RegExp(
                `services/waste\\.yaml:${line}:\\d+ services\\[\\d+\\]\\.related\\[0\\]: unknown service id "no-such-service"`,
            ),
        );
        fs.rmSync(dir as string, { recursive: true, force: true });
    });

    it('eval --json prints exactly one JSON object per case, then the summary', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-cases-'));
        const file = path.join(dir, 'cases.yaml');
        fs.writeFileSync(
            file,
            'cases:\n  - { text: "my bin wasnt emptied today", expect: missed-bin }\n  - { text: "real person please", expect: handoff }\n',
        );
        const run = spawnSync(tsx, ['scripts/eval.ts', '--cases', file, '--json'], {
            cwd: projectRoot,
            encoding: 'utf8',
        });
        fs.rmSync(dir, { recursive: true, force: true });
        expect(run.status, run.stderr).to.equal(0);
        const lines = run.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(lines).to.have.length(3);
        expect(lines[0]).to.deep.equal({
            text: 'my bin wasnt emptied today',
            expect: 'missed-bin',
            outcome: 'answer',
            services: ['missed-bin'],
        });
        expect(lines[1]).to.deep.include({ expect: 'handoff', outcome: 'handoff' });
        expect(lines[2]).to.have.nested.property('summary.top1', 1);
    });

    it('serves, then stops cleanly on SIGTERM', async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-run-'));
        const child = spawn(tsx, ['bot/index.ts'], {
            cwd: projectRoot,
            env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const url = await new Promise<string>((resolve, reject) => {
            child.stdout.on('data', () => {
                const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
                if (match?.[1]) resolve(match[1]);
            });
            child.on('exit', () => reject(new Error(`exited early: ${output}`)));
        });
        expect((await fetch(`${url}/healthz`)).status).to.equal(200);
        const exitCode = new Promise<number | null>((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        expect(await exitCode).to.equal(0);
        expect(output).to.contain('server.stopped');
        fs.rmSync(dataDir, { recursive: true, force: true });
    });
});
