import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../bot/config';
import { SqliteOutbox } from '../../bot/stores/sqliteOutbox';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

describe('npm run outbox', function () {
    this.timeout(60_000);
    let dataDir: string;
    beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-script-'))));
    afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    function outbox(...args: string[]) {
        // DATABASE_URL is set empty so a developer's .env cannot point the command at a real database.
        return spawnSync(tsx, ['scripts/outbox.ts', ...args], {
            cwd: projectRoot,
            encoding: 'utf8',
            env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
        });
    }

    async function deadLetter(): Promise<number> {
        const store = new SqliteOutbox(path.join(dataDir, 'assistant.sqlite'));
        await store.enqueue([{ caseReference: 'ATB-7K3F9', transport: 'webhook', team: 'waste' }]);
        const [item] = await store.claimDue(new Date(Date.now() + 1000), 1, 60_000);
        await store.markDead(item?.id ?? 0, 'DeliveryError: webhook answered HTTP 500');
        await store.close();
        return item?.id ?? 0;
    }

    it('lists the dead letters with their last error, and replays one by id', async () => {
        expect(outbox('list').stdout).to.match(/^No dead letters/);
        const id = await deadLetter();
        const list = outbox('list');
        expect(list.status, list.stderr).to.equal(0);
        expect(list.stdout).to.match(
            new RegExp(`^1 dead letter:\\n  ${id}\\tATB-7K3F9\\twebhook\\tteam waste\\t1 attempt\\t.*HTTP 500\\n`),
        );

        const replay = outbox('replay', String(id));
        expect(replay.status, replay.stderr).to.equal(0);
        expect(replay.stdout).to.match(new RegExp(`^Replayed ${id} \\(ATB-7K3F9 by webhook\\)`));
        expect(outbox('list').stdout).to.match(/^No dead letters/);

        const again = outbox('replay', String(id));
        expect(again.status).to.equal(1);
        expect(again.stderr).to.match(new RegExp(`no dead letter with id ${id}`));
    });

    it('explains its usage when the command is wrong', () => {
        for (const args of [[], ['replay', 'x'], ['purge']]) {
            const run = outbox(...args);
            expect(run.status, args.join(' ')).to.equal(2);
            expect(run.stderr).to.match(/Usage: npm run outbox -- list \| replay <id>/);
        }
    });
});
