import { spawnSync } from 'node:child_process';
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
});
