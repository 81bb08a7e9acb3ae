import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { readAgentsFile } from '../../bot/agentConsole/agentDirectory';
import { verifyPassword } from '../../bot/agentConsole/passwordHash';
import { projectRoot } from '../../bot/config';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

describe('npm run agent:add', function () {
    this.timeout(60_000);
    let dir: string;
    let file: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-add-'));
        file = path.join(dir, 'agents.json');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const agentAdd = (args: string[], password: string) =>
        spawnSync(tsx, ['scripts/agentAdd.ts', ...args], {
            cwd: projectRoot,
            encoding: 'utf8',
            input: `${password}\n`,
            env: { ...process.env, AGENTS_FILE: file, KNOWLEDGE_DIR: '' },
        });

    it('creates the file with a hashed password read from stdin, then updates the same account', async () => {
        const added = agentAdd(['jo.bloggs', 'Jo Bloggs', '--team', 'waste'], 'first password 1');
        expect(added.status, added.stderr).to.equal(0);
        const updated = agentAdd(['jo.bloggs', 'Jo Bloggs', '--role', 'manager'], 'second password 2');
        expect(updated.status, updated.stderr).to.equal(0);
        expect(updated.stdout).to.match(/^Updated jo\.bloggs in .*; their sessions have ended/);
        const agents = readAgentsFile(file) ?? [];
        expect(agents.map(({ passwordHash: _, ...rest }) => rest)).to.deep.equal([
            { username: 'jo.bloggs', name: 'Jo Bloggs', role: 'manager' },
        ]);
        expect(fs.readFileSync(file, 'utf8')).to.not.contain('second password');
        expect(await verifyPassword('second password 2', agents[0]?.passwordHash ?? '')).to.equal(true);
    });

    it('refuses a short password, an unknown team and a malformed username, writing nothing', () => {
        expect(agentAdd(['jo', 'Jo'], 'short').stderr).to.match(/at least 12/);
        expect(agentAdd(['jo', 'Jo', '--team', 'nope'], 'long enough password').stderr).to.match(/not a team/);
        expect(agentAdd(['Jo Bloggs', 'Jo'], 'long enough password').stderr).to.match(/not a valid username/);
        expect(agentAdd(['jo'], 'long enough password').stderr).to.match(/Usage/);
        expect(fs.existsSync(file)).to.equal(false);
    });
});
