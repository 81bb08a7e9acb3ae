import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { guardedHttpClient, OutboundTimeoutError } from '../../bot/guardedHttpClient';
import { OutboundRefusedError, ServiceUrlPolicy } from '../../bot/serviceUrlPolicy';

const ownDirectLine = 'http://127.0.0.1:3978/directline/connector/k3y';

describe('ServiceUrlPolicy', () => {
    const policy = new ServiceUrlPolicy(['https://directline.anytown.gov.uk/bot'], {
        botFrameworkChannels: false,
        ownDirectLine: () => ownDirectLine,
    });

    it('permits the built-in Direct Line and what ALLOWED_SERVICE_URLS lists, under its path only', () => {
        for (const url of [
            ownDirectLine,
            `${ownDirectLine}/v3/conversations/c1/activities`,
            'https://directline.anytown.gov.uk/bot',
            'https://directline.anytown.gov.uk/bot/v3/conversations/x',
        ]) {
            expect(policy.permits(url), url).to.equal(true);
        }
    });

    it('refuses any other local port or path, metadata addresses, credentials and other schemes', () => {
        for (const url of [
            'http://127.0.0.1:3978/directline/connector/other',
            'http://127.0.0.1:3978/directline/connector/k3yX',
            'http://127.0.0.1:9000/',
            'http://localhost:53000',
            'http://[::1]:80',
            'https://directline.anytown.gov.uk/botnet',
            'https://directline.anytown.gov.uk/bot/..%2f..%2fadmin',
            'https://directline.anytown.gov.uk/bot/..%5Cadmin',
            'https://directline.anytown.gov.uk/bot/%2e%2e/admin',
            'https://directline.anytown.gov.uk/',
            'http://directline.anytown.gov.uk/bot',
            'https://user:pw@directline.anytown.gov.uk/bot',
            'http://169.254.169.254/latest/meta-data',
            'https://smba.trafficmanager.net/uk/',
            'file:///etc/passwd',
            'not a url',
            '',
            undefined,
        ]) {
            expect(policy.permits(url), String(url)).to.equal(false);
        }
    });

    it('permits Microsoft channel hosts over https only when an app id is set', () => {
        const withAppId = new ServiceUrlPolicy([], { botFrameworkChannels: true });
        for (const url of [
            'https://smba.trafficmanager.net/uk/',
            'https://europe.directline.botframework.com/',
            'https://webchat.botframework.com/',
        ]) {
            expect(withAppId.permits(url), url).to.equal(true);
            expect(policy.permits(url), url).to.equal(false);
        }
        for (const url of [
            'http://smba.trafficmanager.net/uk/',
            'https://smba.trafficmanager.net:8443/uk/',
            'https://botframework.com.evil.example/',
            'https://evilbotframework.com/',
        ]) {
            expect(withAppId.permits(url), url).to.equal(false);
        }
    });

    it('lets a turn ask for its replies in the response whatever its serviceUrl, but never permits sending to it', () => {
        expect(policy.permitsIncoming('http://169.254.169.254/', 'expectReplies')).to.equal(true);
        expect(policy.permitsIncoming('http://169.254.169.254/', undefined)).to.equal(false);
        expect(policy.permits('http://169.254.169.254/')).to.equal(false);
    });
});

describe('guardedHttpClient', () => {
    /** A local peer: `hang` accepts and never answers; otherwise it answers per `answer`. */
    async function startPeer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
        const requests: string[] = [];
        // The sockets that carried a request and are still open.
        const open = new Set<import('node:net').Socket>();
        const all = new Set<import('node:net').Socket>();
        const server = http.createServer((req, res) => {
            requests.push(`${req.method} ${req.url}`);
            if (!req.socket.destroyed) {
                open.add(req.socket);
                req.socket.on('close', () => open.delete(req.socket));
            }
            answer(req, res);
        });
        server.on('connection', (socket) => all.add(socket));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return {
            url,
            requests,
            open,
            close: () =>
                new Promise<void>((resolve) => {
                    for (const socket of all) socket.destroy();
                    server.close(() => resolve());
                }),
        };
    }
    const request = (url: string) => ({
        url,
        method: 'POST',
        headers: { toJson: () => ({ 'content-type': 'application/json' }) },
        body: '{}',
    });
    const send = (client: ReturnType<typeof guardedHttpClient>, url: string) =>
        (client as unknown as { sendRequest(r: unknown): Promise<{ status: number }> }).sendRequest(request(url));

    it('refuses a URL the policy does not permit without connecting', async () => {
        const peer = await startPeer((_req, res) => res.end('{}'));
        try {
            const client = guardedHttpClient(new ServiceUrlPolicy([], { botFrameworkChannels: false }), 1000);
            const error = await send(client, `${peer.url}/v3/conversations/x/activities`).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(OutboundRefusedError);
            expect(peer.requests).to.deep.equal([]);
        } finally {
            await peer.close();
        }
    });

    it('abandons a channel that accepts and never answers, closing the socket', async () => {
        const peer = await startPeer(() => undefined);
        try {
            const client = guardedHttpClient(new ServiceUrlPolicy([peer.url], { botFrameworkChannels: false }), 300);
            const error = await send(client, `${peer.url}/v3/conversations/x/activities`).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(OutboundTimeoutError);
            expect(peer.requests).to.have.length(1);
            // The peer sees the request's socket closed: nothing stays pinned.
            for (let i = 0; i < 50 && peer.open.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
            expect(peer.open.size).to.equal(0);
        } finally {
            await peer.close();
        }
    });

    it('passes an answer back, and does not follow a redirect by itself', async () => {
        const peer = await startPeer((req, res) => {
            if (req.url?.startsWith('/go')) {
                res.writeHead(307, { location: 'http://169.254.169.254/latest' });
                res.end();
                return;
            }
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"id":"1"}');
        });
        try {
            const client = guardedHttpClient(new ServiceUrlPolicy([peer.url], { botFrameworkChannels: false }), 1000);
            const ok = (await send(client, `${peer.url}/v3/x`)) as { status: number; bodyAsText: string };
            expect(ok.status).to.equal(200);
            expect(ok.bodyAsText).to.equal('{"id":"1"}');
            // The redirect comes back to the SDK's pipeline, which would send it through this client (and the policy).
            expect((await send(client, `${peer.url}/go`)).status).to.equal(307);
            const error = await send(client, 'http://169.254.169.254/latest').catch((e: unknown) => e);
            expect(error).to.be.instanceOf(OutboundRefusedError);
        } finally {
            await peer.close();
        }
    });
});
