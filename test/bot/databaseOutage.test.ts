import { expect } from 'chai';
import { createPostgresPool } from '../../bot/stores/createPostgresPool';
import { testSessionSecret } from '../helpers/agentsFixture';
import { mondayMorning } from '../helpers/assistant';
import { databaseUrl, usePostgres } from '../helpers/postgres';
import { messageActivity, startTestServer } from '../helpers/server';
import { startTcpProxy } from '../helpers/tcpProxy';
import { phoneCaseSteps } from '../helpers/caseSteps';

describe('a PostgreSQL outage in the middle of conversations', function () {
    this.timeout(90_000);
    const { freshSchema } = usePostgres('outage_test');

    it('answers from memory meanwhile, never reports an unstored case as received, and recovers by itself', async () => {
        const { url, drop } = await freshSchema();
        const target = new URL(databaseUrl);
        const proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
        const through = new URL(url);
        through.hostname = '127.0.0.1';
        through.port = String(proxy.port);
        const server = await startTestServer(
            { DATABASE_URL: through.href, SESSION_SECRET: testSessionSecret, KNOWLEDGE_WATCH: 'false' },
            { now: () => mondayMorning },
        );
        const say = async (text: string, conversation = 'outage') => {
            const response = await fetch(`${server.url}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(messageActivity(text, conversation)),
            });
            expect(response.status, text).to.equal(200);
            const body = (await response.json()) as { activities?: { text?: string }[] };
            return (body.activities ?? []).map((a) => a.text ?? '').join('\n');
        };
        const toCase = async (conversation: string) => {
            let last = '';
            for (const text of phoneCaseSteps) last = await say(text, conversation);
            return last;
        };
        const pool = createPostgresPool(url);
        try {
            expect(await say('when is my bin day')).to.contain('bin collection day');

            proxy.cut();
            expect(await say('how do i pay my council tax')).to.match(/council tax/i);
            // A dialog goes on from the state held in memory, but the case cannot be stored: never "received".
            expect(await say('can i speak to someone')).to.contain('your name');
            expect(await say('Alex Resident')).to.contain('How would you like');
            const unstored = await toCase('outage-case');
            expect(unstored).to.contain('I could not save your request just now');
            expect(unstored).to.not.match(/reference/i);
            const ready = (await (await fetch(`${server.url}/readyz`)).json()) as Record<string, unknown>;
            expect(ready).to.deep.include({ status: 'degraded', store: 'unreachable' });

            proxy.restore();
            // The conversation carries on where it was, and its state reaches the database again.
            expect(await say('Phone')).to.contain('What phone number');
            const saved = await pool.query('SELECT key FROM bot_state WHERE key LIKE $1', ['%/conversations/outage/']);
            expect(saved.rowCount).to.equal(1);
            const stored = await toCase('after-outage');
            expect(stored).to.match(/ATB-[0-9A-Z]{5}/);
            expect((await pool.query('SELECT count(*)::int AS n FROM cases')).rows[0]?.n).to.equal(1);
            const logs = server.logLines.join('\n');
            expect(logs).to.contain('"message":"state.degraded"');
            expect(logs).to.contain('"message":"state.recovered"');
        } finally {
            await server.close();
            await proxy.close();
            await pool.end();
            await drop();
        }
    });
});
