import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../bot/config';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

describe('npm run demo:traffic, then npm run report', function () {
    this.timeout(90_000);

    it('drives conversations through the bot, and the report counts exactly those conversations', () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
        try {
            const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
            const demo = spawnSync(tsx, ['scripts/demoTraffic.ts', '--conversations', '40', '--seed', '3'], {
                cwd: projectRoot,
                encoding: 'utf8',
                env,
            });
            expect(demo.status, demo.stderr).to.equal(0);
            const [, from, to] = /--from (\S+) --to (\S+)/.exec(demo.stdout) ?? [];
            expect(from, demo.stdout).to.match(/^\d{4}-\d\d-\d\d$/);
            const report = spawnSync(
                tsx,
                ['scripts/report.ts', '--from', from ?? '', '--to', to ?? '', '--format', 'json'],
                {
                    cwd: projectRoot,
                    encoding: 'utf8',
                    env,
                },
            );
            expect(report.status, report.stderr).to.equal(0);
            const { measures } = JSON.parse(report.stdout) as {
                measures: {
                    conversations: number;
                    satisfaction: { overall: { of: number } };
                    demand: { byService: object };
                };
            };
            expect(measures.conversations).to.equal(40);
            expect(measures.satisfaction.overall.of).to.be.greaterThan(0);
            expect(Object.keys(measures.demand.byService).length).to.be.greaterThan(5);
        } finally {
            fs.rmSync(dataDir, { recursive: true, force: true });
        }
    });
});
