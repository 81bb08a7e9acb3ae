import net from 'node:net';
import { expect } from 'chai';
import WebSocket from 'ws';
import { connectDirectLine, type DirectLineSession } from '../../helpers/directLineClient';
import { startTestServer } from '../../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A token from the chat page's token route, as the page gets one. */
async function pageToken(server: Server) {
    const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
    expect(response.status).to.equal(200);
    return (await response.json()) as { token: string; conversationId: string; domain: string; expiresIn: number };
}

describe('the built-in Direct Line, with the official botframework-directlinejs client', function () {
    this.timeout(30_000);
    let server: Server;
    const sessions: DirectLineSession[] = [];
    before(async () => {
        server = await startTestServer();
    });
    after(async () => {
        for (const session of sessions) session.end();
        await server.close();
    });
    const connect = (options: Parameters<typeof connectDirectLine>[0]) => {
        const session = connectDirectLine(options);
        sessions.push(session);
        return session;
    };

    for (const webSocket of [true, false]) {
        it(`starts a conversation, gets the welcome and answers a question (${webSocket ? 'WebSocket stream' : 'polling'})`, async () => {
            const { token, domain } = await pageToken(server);
            expect(domain).to.equal(`${server.url}/v3/directline`);
            const chat = connect({ token, domain, webSocket });
            await chat.waitForBot('Anytown');
            const id = await chat.say('when is my bin day');
            expect(id).to.match(/^dl.+\|\d{7}$/);
            await chat.waitForBot('bin collection day');
            const question = await chat.waitForBot('Did this answer your question?');
            expect(question.suggestedActions?.actions.map((a) => a.title)).to.include('Yes');
            // The client's own message comes back with the user id the token grants, not the one it claimed.
            const echo = chat.received.find((a) => a.id === id);
            expect(echo?.from.id).to.match(/^dl_user_/);
            expect(echo).not.to.have.property('serviceUrl');
        });
    }

    it('resumes a conversation after a reload: the whole conversation again, from the watermark', async () => {
        const { token, domain, conversationId } = await pageToken(server);
        const first = connect({ token, domain });
        await first.say('how do i pay council tax');
        await first.waitForBot('Council Tax');
        first.end();
        const refreshed = await fetch(`${domain}/tokens/refresh`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
        });
        expect(refreshed.status).to.equal(200);
        const { token: newToken } = (await refreshed.json()) as { token: string };
        const again = connect({ token: newToken, domain, conversationId, watermark: '0' });
        await again.waitForBot('Council Tax');
        expect(again.received.some((a) => 'text' in a && a.text === 'how do i pay council tax')).to.equal(true);
    });

    it("refuses another conversation's activities, stream and posts with its token", async () => {
        const mine = await pageToken(server);
        const theirs = await pageToken(server);
        const start = await fetch(`${theirs.domain}/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${theirs.token}` },
        });
        expect(start.status).to.equal(201);
        const headers = { authorization: `Bearer ${mine.token}`, 'content-type': 'application/json' };
        const read = await fetch(`${mine.domain}/conversations/${theirs.conversationId}/activities`, { headers });
        expect(read.status).to.equal(403);
        const post = await fetch(`${mine.domain}/conversations/${theirs.conversationId}/activities`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ type: 'message', text: 'hello' }),
        });
        expect(post.status).to.equal(403);
        const socket = new WebSocket(
            `${server.url.replace('http', 'ws')}/v3/directline/conversations/${theirs.conversationId}/stream?t=${encodeURIComponent(mine.token)}`,
        );
        const outcome = await new Promise<string>((resolve) => {
            socket.on('open', () => resolve('open'));
            socket.on('error', () => resolve('refused'));
        });
        expect(outcome).to.equal('refused');
    });

    it('refuses a missing, tampered or expired token, and malformed activities, with 4xx', async () => {
        const { token, domain, conversationId } = await pageToken(server);
        await fetch(`${domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        const tampered = `${token.slice(0, -2)}xx`;
        for (const auth of [undefined, `Bearer ${tampered}`, 'Basic abc']) {
            const response = await fetch(`${domain}/conversations/${conversationId}/activities`, {
                headers: auth ? { authorization: auth } : {},
            });
            expect(response.status, String(auth)).to.equal(403);
        }
        for (const body of ['{not json', JSON.stringify({ text: 'no type' }), JSON.stringify({ type: 'delete' })]) {
            const response = await fetch(`${domain}/conversations/${conversationId}/activities`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body,
            });
            expect(response.status, body).to.be.within(400, 499);
        }
        const upload = await fetch(`${domain}/conversations/${conversationId}/upload`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
        });
        expect(upload.status).to.equal(415);
    });

    it('takes replies only from the bot: the connector path is secret', async () => {
        const { token, domain, conversationId } = await pageToken(server);
        const start = await fetch(`${domain}/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
        });
        expect(start.status).to.equal(201);
        const forged = await fetch(
            `${server.url}/directline/connector/guess/v3/conversations/${conversationId}/activities`,
            {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'message', text: 'I am the council, give me your card number' }),
            },
        );
        expect(forged.status).to.equal(404);
        const read = await fetch(`${domain}/conversations/${conversationId}/activities`, {
            headers: { authorization: `Bearer ${token}` },
        });
        const { activities } = (await read.json()) as { activities: { text?: string }[] };
        expect(activities.length).to.be.greaterThan(0);
        expect(activities.map((a) => a.text ?? '').join('\n')).not.to.contain('card number');
    });

    it('survives malformed WebSocket upgrades, answering and closing each', async () => {
        const { token } = await pageToken(server);
        const port = Number(new URL(server.url).port);
        const upgrade = (target: string) =>
            new Promise<string>((resolve) => {
                const socket = net.connect(port, '127.0.0.1', () => {
                    socket.write(
                        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
                            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
                    );
                });
                let answer = '';
                socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
                socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
                socket.on('error', () => resolve(answer.split('\r\n')[0] ?? ''));
            });
        expect(await upgrade('http://[/x')).to.match(/^HTTP\/1\.1 (400|404)/);
        expect(await upgrade(`/v3/directline/conversations/%E0%A4%A/stream?t=${encodeURIComponent(token)}`)).to.match(
            /^HTTP\/1\.1 400/,
        );
        expect(await upgrade('/not/a/stream')).to.match(/^HTTP\/1\.1 404/);
        expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    });

    it('answers a request line no URL parser accepts with 404, and carries on', async () => {
        const port = Number(new URL(server.url).port);
        const status = await new Promise<string>((resolve) => {
            const socket = net.connect(port, '127.0.0.1', () =>
                socket.write(
                    'GET http://[/embed/chat?site=riverside-housing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
                ),
            );
            let answer = '';
            socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
            socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
        });
        expect(status).to.match(/^HTTP\/1\.1 4\d\d/);
        expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    });

    it('cuts an over-long message and keeps only the fields a client may send', async () => {
        const { token, domain, conversationId } = await pageToken(server);
        await fetch(`${domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const posted = await fetch(`${domain}/conversations/${conversationId}/activities`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
                type: 'message',
                text: 'x'.repeat(50_000),
                deliveryMode: 'expectReplies',
                serviceUrl: 'https://attacker.example',
                attachments: [{ contentType: 'image/png', name: 'a.png', content: 'y'.repeat(10_000) }],
            }),
        });
        expect(posted.status).to.equal(200);
        const { id } = (await posted.json()) as { id: string };
        const read = await fetch(`${domain}/conversations/${conversationId}/activities`, { headers });
        const { activities } = (await read.json()) as { activities: Record<string, unknown>[] };
        const stored = activities.find((a) => a.id === id);
        expect((stored?.text as string).length).to.equal(4000);
        expect(stored).not.to.have.any.keys('deliveryMode', 'serviceUrl');
        expect(stored?.attachments).to.deep.equal([{ contentType: 'image/png', name: 'a.png' }]);
        // The bot still answered (politely, about the length) through the endpoint, not in a hidden response.
        expect(activities.some((a) => (a.from as { role?: string }).role === 'bot' && a.replyToId === id)).to.equal(
            true,
        );
    });

    it('refuses to refresh a token for a conversation that has gone, so the page starts afresh', async () => {
        const { token, domain } = await pageToken(server);
        const refreshed = await fetch(`${domain}/tokens/refresh`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
        });
        expect(refreshed.status).to.equal(404);
    });
});
