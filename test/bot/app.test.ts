import { expect } from 'chai';
import { ConfigError } from '../../bot/config';
import { messageActivity, startTestServer } from '../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

async function post(server: Server, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('HTTP service', () => {
    describe('anonymous (no app id)', () => {
        let server: Server;
        before(async () => {
            server = await startTestServer();
        });
        after(() => server.close());

        it('answers a message with deliveryMode expectReplies', async () => {
            const { status, body } = await post(server, messageActivity('my bin wasnt emptied today'));
            expect(status).to.equal(200);
            const activities = body.activities as { text: string }[];
            expect(activities[0]?.text).to.contain('missed bin');
            expect(activities[1]?.text).to.contain('Did this answer your question?');
        });

        it('sends only messages back: no trace of the dialog memory, which holds what the resident typed', async () => {
            const { body } = await post(server, messageActivity('talk to a person', 'conv-trace'));
            const types = (body.activities as { type: string }[]).map((a) => a.type);
            expect(types).to.not.include('trace');
            expect(types.every((t) => t === 'message')).to.equal(true);
        });

        it('keeps the conversation between requests (state in SQLite)', async () => {
            await post(server, messageActivity('bins', 'conv-state'));
            const { body } = await post(server, messageActivity('1', 'conv-state'));
            const activities = body.activities as { text: string }[];
            expect(activities[0]?.text).to.match(/^\*\*/);
        });

        it('welcomes once per conversation, however many members join', async () => {
            const update = (id: string) => ({
                ...messageActivity('', 'conv-welcome'),
                type: 'conversationUpdate',
                text: undefined,
                membersAdded: [{ id }],
            });
            const first = await post(server, update('resident-1'));
            const second = await post(server, update('resident-2'));
            expect((first.body.activities as { text: string }[])[0]?.text).to.contain('automated assistant');
            expect(second.body.activities ?? []).to.have.length(0);
        });

        it('refuses to send replies to an address that is not this machine (403), unless they come back in the response', async () => {
            const elsewhere = { ...messageActivity('hello'), serviceUrl: 'http://169.254.169.254/latest' };
            const sendToServiceUrl = { ...elsewhere, deliveryMode: 'normal' };
            expect((await post(server, sendToServiceUrl)).status).to.equal(403);
            expect((await post(server, elsewhere)).status).to.equal(200);
        });

        it('rejects malformed JSON with 400', async () => {
            expect((await post(server, '{"type": "message",')).status).to.equal(400);
        });

        it('rejects an activity without the Bot Framework fields with 400 and says which', async () => {
            const { status, body } = await post(server, { type: 'message', text: 'hello' });
            expect(status).to.equal(400);
            expect(body.message).to.match(/channelId/);
        });

        it('rejects a body above the size limit with 413', async () => {
            const { status } = await post(server, messageActivity('x'.repeat(300 * 1024)));
            expect(status).to.equal(413);
        });

        it('ignores an activity type it does not handle', async () => {
            const { status } = await post(server, { ...messageActivity('x'), type: 'typing' });
            expect(status).to.equal(200);
        });

        it('reports live and ready', async () => {
            const health = await fetch(`${server.url}/healthz`);
            expect(health.status).to.equal(200);
            const ready = await fetch(`${server.url}/readyz`);
            expect(ready.status).to.equal(200);
            expect(await ready.json()).to.deep.include({ status: 'ready', store: 'reachable' });
        });

        it('logs decisions without the resident text or personal data', async () => {
            await post(
                server,
                messageActivity('missed bin at 12 High Street AN1 1AA, call 07700 900123 or jo@example.com'),
            );
            const log = server.logLines.join('\n');
            expect(log).to.contain('route.decided');
            for (const secret of ['High Street', 'AN1 1AA', '07700 900123', 'jo@example.com']) {
                expect(log).to.not.contain(secret);
            }
        });
    });

    describe('with a Microsoft app id set', () => {
        let server: Server;
        before(async () => {
            server = await startTestServer({
                MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
                MicrosoftAppPassword: 'secret',
            });
        });
        after(() => server.close());

        it('refuses a request without a token with 401', async () => {
            expect((await post(server, messageActivity('hello'))).status).to.equal(401);
        });

        it('refuses a request with a forged token with 401', async () => {
            const { status } = await post(server, messageActivity('hello'), { authorization: 'Bearer not.a.jwt' });
            expect(status).to.equal(401);
        });
    });

    it('refuses to start on PostgreSQL without SESSION_SECRET, which every instance must share', async () => {
        let error: unknown;
        try {
            const server = await startTestServer({ DATABASE_URL: 'postgres://127.0.0.1:1/never-reached' });
            await server.close();
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigError);
        expect(String(error)).to.match(/SESSION_SECRET: required with DATABASE_URL/);
    });
});
