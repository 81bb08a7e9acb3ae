import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SqliteCaseStore } from '../../bot/stores/sqliteCaseStore';
import { startInstance, type Instance } from '../helpers/instances';
import { messageActivity } from '../helpers/server';
import { phoneCaseSteps } from '../helpers/caseSteps';

/** Runs case capture to the end again and again in one conversation after another, collecting the references. */
async function resident(instance: Instance, name: string, references: string[], stop: { now: boolean }) {
    for (let round = 0; !stop.now; round++) {
        const conversation = `${name}-${round}`;
        try {
            let last = '';
            for (const text of phoneCaseSteps) {
                const response = await fetch(`${instance.url}/api/messages`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify(messageActivity(text, conversation)),
                });
                const body = (await response.json()) as { activities?: { text?: string }[] };
                last = (body.activities ?? []).map((a) => a.text ?? '').join('\n');
            }
            const reference = /ATB-[0-9A-Z]{5}/.exec(last)?.[0];
            if (reference) references.push(reference);
        } catch {
            // The instance was killed under this request.
            return;
        }
    }
}

describe('SIGKILL in the middle of turns (SQLite)', function () {
    this.timeout(120_000);
    let dataDir: string;
    const running: Instance[] = [];
    beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-safety-'))));
    afterEach(async () => {
        await Promise.all(running.splice(0).map((i) => i.stop()));
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('leaves an intact database holding every case a resident was told about, and starts again on it', async () => {
        // Every resident here shares this machine's address.
        const env = {
            DATA_DIR: dataDir,
            KNOWLEDGE_WATCH: 'false',
            RATE_LIMIT_PER_CONVERSATION: '0',
            RATE_LIMIT_CASES_PER_HOUR: '0',
        };
        const first = await startInstance('doomed', env);
        const references: string[] = [];
        const stop = { now: false };
        const residents = [1, 2, 3, 4, 5, 6].map((n) => resident(first, `r${n}`, references, stop));
        while (references.length < 10) await new Promise((resolve) => setTimeout(resolve, 20));
        // Killed while six residents' turns are in flight.
        await first.kill();
        stop.now = true;
        await Promise.all(residents);

        const file = path.join(dataDir, 'assistant.sqlite');
        const db = new Database(file, { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
        db.close();
        const store = new SqliteCaseStore(file);
        for (const reference of references) expect(await store.get(reference), reference).to.not.equal(undefined);
        await store.close();

        const again = await startInstance('restarted', env);
        running.push(again);
        const response = await fetch(`${again.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(messageActivity('when is my bin day', 'after-crash')),
        });
        expect(JSON.stringify(await response.json())).to.contain('bin collection day');
    });
});
