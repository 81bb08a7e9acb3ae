import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import { expect } from 'chai';
import { loadConfig } from '../../bot/config';
import { LiveKnowledge } from '../../bot/liveKnowledge';
import { engineFor, type AssistantDependencies } from '../../dialogs/dialogContext';
import { capturedLogger } from '../helpers/capturedLogger';
import { messageActivity, startTestServer } from '../helpers/server';
import { KnowledgeCopy } from '../knowledge/knowledgeFixture';
import { testSessionSecret } from '../helpers/agentsFixture';
import { usePostgres } from '../helpers/postgres';

const adminToken = 'admin-token-0123456789-abcdefghijklmnop';
const oldWords = 'Put your postcode into our bin day checker';
const newWords = 'Type your postcode into the new bin day finder';

async function answer(url: string, text: string, conversation: string): Promise<string> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(text, conversation)),
    });
    const body = (await response.json()) as { activities?: { text?: string }[] };
    return (body.activities ?? []).map((a) => a.text ?? '').join('\n');
}

const reload = (url: string, token?: string) =>
    fetch(`${url}/admin/reload`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('knowledge reload', function () {
    this.timeout(30_000);
    let copy: KnowledgeCopy;
    beforeEach(() => (copy = new KnowledgeCopy()));
    afterEach(() => copy.dispose());

    describe('LiveKnowledge', () => {
        const live = () => new LiveKnowledge(copy.dir, loadConfig({}).delivery, capturedLogger().log);

        it('swaps in a valid change, and keeps the last good knowledge with located problems for an invalid one', () => {
            const knowledge = live();
            const first = knowledge.current();
            copy.replace('services/waste.yaml', oldWords, newWords);
            expect(knowledge.reload()).to.deep.include({ status: 'reloaded' });
            const second = knowledge.current();
            expect(second).to.not.equal(first);
            const at = copy.replace('services/waste.yaml', 'phrases:', 'phrasez:', 'missed-bin');
            const kept = knowledge.reload();
            expect(kept.status).to.equal('kept');
            const problems = kept.status === 'kept' ? kept.problems.join('\n') : '';
            expect(problems).to.contain(`${copy.shown('services/waste.yaml')}:${at.line}:`);
            expect(knowledge.current()).to.equal(second);
        });

        it('keeps the last good knowledge when a team gains a webhook whose secret is not set', () => {
            const knowledge = live();
            const team =
                '{ id: customer-services, name: Customer Services, queue: general, email: contact@anytown.gov.uk';
            copy.replace(
                'council.yaml',
                `${team} }`,
                `${team}, delivery: { webhook: { url: "https://crm.test/x" } } }`,
            );
            const kept = knowledge.reload();
            expect(kept.status).to.equal('kept');
            expect(kept.status === 'kept' && kept.problems.join()).to.match(/WEBHOOK_SECRET_CUSTOMER_SERVICES/);
        });

        it('lets a turn in flight finish on the version it started with', () => {
            const knowledge = live();
            const deps = { knowledge } as unknown as AssistantDependencies;
            const turn = (id: string) =>
                new TurnContext(new TestAdapter(), messageActivity('hi', id) as Partial<Activity>);
            const inFlight = turn('a');
            const before = engineFor(deps, inFlight);
            copy.replace('services/waste.yaml', oldWords, newWords);
            knowledge.reload();
            expect(engineFor(deps, inFlight)).to.equal(before);
            expect(engineFor(deps, turn('b')))
                .to.equal(knowledge.current())
                .and.not.equal(before);
        });
    });

    describe('over HTTP', () => {
        const { freshSchema } = usePostgres('knowledge_reload_test');

        it('reloads on POST /admin/reload with the admin token, refusing anyone else', async () => {
            const server = await startTestServer({
                KNOWLEDGE_DIR: copy.dir,
                KNOWLEDGE_WATCH: 'false',
                ADMIN_TOKEN: adminToken,
            });
            try {
                expect(await answer(server.url, 'when is my bin day', 'r1')).to.contain(oldWords);
                copy.replace('services/waste.yaml', oldWords, newWords);
                expect((await reload(server.url)).status).to.equal(401);
                expect((await reload(server.url, `${adminToken}x`)).status).to.equal(401);
                expect(await answer(server.url, 'when is my bin day', 'r2')).to.contain(oldWords);
                const done = await reload(server.url, adminToken);
                expect(done.status).to.equal(200);
                expect(await done.json()).to.deep.include({ status: 'reloaded' });
                expect(await answer(server.url, 'when is my bin day', 'r3')).to.contain(newWords);

                copy.replace('services/waste.yaml', 'phrases:', 'phrases: 42', 'missed-bin');
                const refused = await reload(server.url, adminToken);
                expect(refused.status).to.equal(422);
                const body = (await refused.json()) as { status: string; problems: string[] };
                expect(body.status).to.equal('kept');
                expect(body.problems.join('\n')).to.match(/services\/waste\.yaml:\d+:\d+ /);
                expect(await answer(server.url, 'when is my bin day', 'r4')).to.contain(newWords);
                expect(server.logLines.some((l) => l.includes('"message":"knowledge.reload_failed"'))).to.equal(true);
            } finally {
                await server.close();
            }
        });

        it('reloads every instance on the database when one is asked', async () => {
            const { url, drop } = await freshSchema();
            const env = {
                KNOWLEDGE_DIR: copy.dir,
                KNOWLEDGE_WATCH: 'false',
                ADMIN_TOKEN: adminToken,
                DATABASE_URL: url,
                SESSION_SECRET: testSessionSecret,
            };
            const [one, two] = await Promise.all([startTestServer(env), startTestServer(env)]);
            try {
                copy.replace('services/waste.yaml', oldWords, newWords);
                expect((await reload(one.url, adminToken)).status).to.equal(200);
                const until = Date.now() + 10_000;
                let text = '';
                for (let i = 0; Date.now() < until && !text.includes(newWords); i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    text = await answer(two.url, 'when is my bin day', `m${i}`);
                }
                expect(text).to.contain(newWords);
            } finally {
                await Promise.all([one.close(), two.close()]);
                await drop();
            }
        });

        it('has no reload route without ADMIN_TOKEN', async () => {
            const server = await startTestServer({ KNOWLEDGE_WATCH: 'false' });
            try {
                expect((await reload(server.url, adminToken)).status).to.equal(404);
            } finally {
                await server.close();
            }
        });

        it('reloads by itself when a file in the folder changes', async () => {
            const server = await startTestServer({ KNOWLEDGE_DIR: copy.dir, KNOWLEDGE_WATCH: 'true' });
            try {
                copy.replace('services/waste.yaml', oldWords, newWords);
                const until = Date.now() + 10_000;
                let text = '';
                for (let i = 0; Date.now() < until && !text.includes(newWords); i++) {
                    await new Promise((resolve) => setTimeout(resolve, 200));
                    text = await answer(server.url, 'when is my bin day', `w${i}`);
                }
                expect(text).to.contain(newWords);
            } finally {
                await server.close();
            }
        });
    });
});
