import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startTestServer } from '../../helpers/server';

const secret = 'azure-direct-line-secret-that-must-stay-on-the-server';

/** Azure Bot Service's Direct Line token endpoint, as far as the exchange goes; records what it was asked. */
async function startFakeAzureDirectLine() {
    const requests: { authorization: string | undefined; body: unknown }[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            requests.push({
                authorization: req.headers.authorization,
                body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
            });
            const ok = req.url === '/v3/directline/tokens/generate' && req.headers.authorization === `Bearer ${secret}`;
            res.statusCode = ok ? 200 : 403;
            res.setHeader('content-type', 'application/json');
            res.end(
                JSON.stringify(ok ? { conversationId: 'azure-conv-1', token: 'azure-token-1', expires_in: 3600 } : {}),
            );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/directline`;
    return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("Azure Bot Service's Direct Line (DIRECT_LINE_SECRET)", function () {
    this.timeout(30_000);

    it('exchanges the secret for a token on the server; the page never sees the secret', async () => {
        const azure = await startFakeAzureDirectLine();
        const server = await startTestServer({ DIRECT_LINE_SECRET: secret, DIRECT_LINE_URL: azure.url });
        try {
            const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
            const body = (await response.json()) as Record<string, unknown>;
            expect(body).to.deep.equal({
                token: 'azure-token-1',
                conversationId: 'azure-conv-1',
                domain: azure.url,
                expiresIn: 3600,
            });
            expect(azure.requests).to.have.length(1);
            expect((azure.requests[0]?.body as { user: { id: string } }).user.id).to.match(/^dl_/);
            const page = await fetch(`${server.url}/`);
            const html = await page.text();
            expect(html).not.to.contain(secret);
            expect(JSON.stringify(body)).not.to.contain(secret);
            const origin = new URL(azure.url).origin;
            expect(page.headers.get('content-security-policy')).to.contain(
                `connect-src 'self' ${origin} ${origin.replace('http', 'ws')}`,
            );
            // The built-in Direct Line is off.
            expect((await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST' })).status).to.equal(404);
        } finally {
            await server.close();
            await azure.close();
        }
    });

    it('answers 503, not the error, when Azure refuses the secret', async () => {
        const azure = await startFakeAzureDirectLine();
        const server = await startTestServer({ DIRECT_LINE_SECRET: 'a-wrong-secret', DIRECT_LINE_URL: azure.url });
        try {
            const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
            expect(response.status).to.equal(503);
            expect(await response.json()).to.deep.equal({ error: 'direct_line_unavailable' });
        } finally {
            await server.close();
            await azure.close();
        }
    });

    it('with MicrosoftAppId and no DIRECT_LINE_SECRET: no built-in Direct Line, and the page is told the chat is unavailable', async () => {
        const server = await startTestServer({
            MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
            MicrosoftAppPassword: 'not-used-in-this-test',
        });
        try {
            const token = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
            expect(token.status).to.equal(503);
            const start = await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST' });
            expect(start.status).to.equal(404);
            expect(server.logLines.some((line) => line.includes('directline.off'))).to.equal(true);
        } finally {
            await server.close();
        }
    });
});
