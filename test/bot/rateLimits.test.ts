import { expect } from 'chai';
import { RateLimiter } from '../../bot/rateLimit/rateLimiter';
import { messageActivity, outwardAddress, startTestServer } from '../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const say = (server: Server, text: string, conversation: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(messageActivity(text, conversation)),
    });

describe('RateLimiter', () => {
    it('allows a minute’s worth at once, then refuses with the seconds until the next, refilling evenly', () => {
        let now = 0;
        const limiter = new RateLimiter(6, () => now);
        for (let i = 0; i < 6; i++) expect(limiter.take('a')).to.deep.equal({ ok: true });
        expect(limiter.take('a')).to.deep.equal({ ok: false, retryAfterSeconds: 10 });
        expect(limiter.take('b')).to.deep.equal({ ok: true });
        now += 10_000;
        expect(limiter.take('a')).to.deep.equal({ ok: true });
        expect(limiter.take('a').ok).to.equal(false);
        now += 3_600_000;
        for (let i = 0; i < 6; i++) expect(limiter.take('a').ok).to.equal(true);
        expect(limiter.take('a').ok).to.equal(false);
    });

    it('holds at most maxKeys, forgetting the key used longest ago', () => {
        const limiter = new RateLimiter(1, () => 0, 3);
        for (const key of ['a', 'b', 'c']) limiter.take(key);
        expect(limiter.take('a').ok).to.equal(false);
        limiter.take('d');
        expect(limiter.size).to.equal(3);
        // b was used longest ago: forgotten, so forgiven; a was used since, so still limited.
        expect(limiter.take('b').ok).to.equal(true);
        expect(limiter.take('a').ok).to.equal(false);
    });
});

describe('rate limits over HTTP', function () {
    this.timeout(30_000);
    let server: Server;
    before(async () => {
        server = await startTestServer({
            // The test's requests arrive from loopback, as from a proxy on this machine.
            TRUST_PROXY: '127.0.0.1,::1',
            RATE_LIMIT_PER_ADDRESS: '8',
            RATE_LIMIT_NEW_CHATS: '2',
            RATE_LIMIT_PER_CONVERSATION: '3',
        });
    });
    after(() => server.close());

    it('answers 429 with Retry-After to a fourth message a minute in one conversation, and not to another', async () => {
        for (let i = 0; i < 3; i++) expect((await say(server, 'hello', 'busy')).status).to.equal(200);
        const refused = await say(server, 'hello', 'busy');
        expect(refused.status).to.equal(429);
        expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
        expect(((await refused.json()) as { error: string }).error).to.equal('too_many_requests');
        expect((await say(server, 'hello', 'quiet')).status).to.equal(200);
        expect(server.logLines.some((l) => l.includes('"limit":"conversation"'))).to.equal(true);
    });

    it('limits each address behind the proxy, this machine’s own too', async () => {
        const from = (address: string) => ({ 'x-forwarded-for': `198.51.100.1, ${address}` });
        const statuses = [];
        for (let i = 0; i < 9; i++) statuses.push((await say(server, 'hi', `a-${i}`, from('203.0.113.5'))).status);
        expect(statuses.slice(0, 8).every((s) => s === 200)).to.equal(true);
        expect(statuses[8]).to.equal(429);
        expect((await say(server, 'hi', 'other', from('203.0.113.6'))).status).to.equal(200);
        // The first (client-written) X-Forwarded-For entry is not believed.
        expect((await say(server, 'hi', 'spoof', { 'x-forwarded-for': '203.0.113.6, 203.0.113.5' })).status).to.equal(
            429,
        );
        // A request from this machine (a proxy on it, say) is limited like any other: it proves nothing.
        const local = [];
        for (let i = 0; i < 12; i++) local.push((await say(server, 'hi', `local-${i}`)).status);
        expect(local).to.include(429);
        expect(server.logLines.join('\n')).to.not.contain('203.0.113');
    });

    it('limits new chats per address on the token route', async () => {
        const token = () =>
            fetch(`${server.url}/api/directline/token`, {
                method: 'POST',
                headers: { 'x-forwarded-for': '192.0.2.44' },
            });
        expect((await token()).status).to.equal(200);
        expect((await token()).status).to.equal(200);
        const third = await token();
        expect(third.status).to.equal(429);
        expect(third.headers.get('retry-after')).to.match(/^\d+$/);
    });

    it('passes a conversation limit through the built-in Direct Line as 429 with Retry-After', async () => {
        // A resident of their own address: the Direct Line's calls to the bot are not counted against it.
        const from = { 'x-forwarded-for': '192.0.2.77' };
        const issued = await fetch(`${server.url}/api/directline/token`, { method: 'POST', headers: from });
        const { token, conversationId } = (await issued.json()) as { token: string; conversationId: string };
        const auth = { authorization: `Bearer ${token}`, ...from };
        expect(
            (await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: auth })).status,
        ).to.equal(201);
        const post = () =>
            fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
                method: 'POST',
                headers: { ...auth, 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'message', text: 'hello' }),
            });
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push(await post());
        expect(statuses.map((r) => r.status)).to.deep.equal([200, 200, 200, 429]);
        expect(statuses[3]?.headers.get('retry-after')).to.match(/^\d+$/);
    });
});

describe('security headers', function () {
    this.timeout(30_000);
    let server: Server;
    before(async () => {
        server = await startTestServer({ TRUST_PROXY: '127.0.0.1' });
    });
    after(() => server.close());

    it('are on every response, a 404 included; HSTS only over TLS', async () => {
        for (const path of ['/healthz', '/no-such-page', '/api/messages']) {
            const response = await fetch(`${server.url}${path}`);
            expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
            expect(response.headers.get('referrer-policy')).to.equal('no-referrer');
            expect(response.headers.get('content-security-policy')).to.contain("frame-ancestors 'none'");
            expect(response.headers.get('strict-transport-security')).to.equal(null);
        }
        const secure = await fetch(`${server.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(secure.headers.get('strict-transport-security')).to.equal('max-age=31536000');
    });

    it('believe X-Forwarded-Proto only from a listed proxy', async () => {
        const elsewhere = await startTestServer({ TRUST_PROXY: '10.0.0.0/8' });
        try {
            const claimed = await fetch(`${elsewhere.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
            expect(claimed.headers.get('strict-transport-security')).to.equal(null);
        } finally {
            await elsewhere.close();
        }
    });

    it('leave a page its own policy: the chat page keeps its nonce', async () => {
        const page = await fetch(`${server.url}/`);
        expect(page.headers.get('content-security-policy')).to.match(/'nonce-[^']+'/);
    });
});

describe('forwarded addresses over HTTP', function () {
    this.timeout(30_000);

    it("ignores a direct client's forged X-Forwarded-For: 127.0.0.1 when its socket is not a listed proxy", async function () {
        const address = outwardAddress();
        // Every request a test makes otherwise comes from loopback; without another interface this cannot be shown.
        if (!address) this.skip();
        // A proxy on this machine is trusted; a client reaching the service directly (not through it) is not.
        const server = await startTestServer(
            { TRUST_PROXY: '127.0.0.1,::1', RATE_LIMIT_PER_ADDRESS: '3' },
            {},
            { host: '0.0.0.0' },
        );
        try {
            const forged = () =>
                fetch(`http://${address}:${server.port}/healthz`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
            const statuses = [];
            for (let i = 0; i < 5; i++) statuses.push((await forged()).status);
            // Counted as its own address, not exempted as this machine.
            expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
        } finally {
            await server.close();
        }
    });

    it('ignores X-Forwarded-For from loopback when loopback is not a listed proxy', async () => {
        const server = await startTestServer({ TRUST_PROXY: '10.0.0.0/8', RATE_LIMIT_NEW_CHATS: '2' });
        try {
            // Were the header believed, each request would be a new client with its own allowance.
            const statuses = [];
            for (let i = 0; i < 3; i++) {
                const response = await fetch(`${server.url}/api/directline/token`, {
                    method: 'POST',
                    headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
                });
                statuses.push(response.status);
            }
            expect(statuses).to.deep.equal([200, 200, 429]);
        } finally {
            await server.close();
        }
    });
});
