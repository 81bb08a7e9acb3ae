import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Case } from '../../../bot/handoff/case';
import { formatCaseSummary } from '../../../bot/handoff/caseSummary';
import type { DeliveryTarget } from '../../../bot/handoff/deliveryTargets';
import { WebhookTransport, signWebhookBody, webhookPayload } from '../../../bot/handoff/webhookTransport';
import { startWebhookReceiver } from '../../helpers/webhookReceiver';
import { sampleCase } from '../stores/caseStore.contract';

const secret = 'a-shared-secret-of-some-length';
const stored: Case = {
    ...sampleCase(),
    reference: 'ATB-7K3F9',
    createdAt: '2026-11-23T10:00:00.000Z',
    status: 'queued',
};
const target = (url: string): DeliveryTarget => ({ team: 'waste', teamName: 'Waste', webhook: { url, secret } });

describe('WebhookTransport', () => {
    it('signs the exact body with HMAC-SHA256 of the shared secret', () => {
        const body = '{"reference":"ATB-7K3F9"}';
        const hex = createHmac('sha256', secret).update(body).digest('hex');
        expect(signWebhookBody(body, secret)).to.equal(`sha256=${hex}`);
    });

    it('sends every field of the case, null where unset, and the summary', () => {
        expect(Object.keys(webhookPayload(stored))).to.deep.equal([
            'reference',
            'createdAt',
            'team',
            'serviceId',
            'serviceTitle',
            'priority',
            'residentWords',
            'assistantAnswer',
            'details',
            'flags',
            'language',
            'channel',
            'transcript',
            'summary',
        ]);
        const general: Case = { ...stored, serviceId: undefined, serviceTitle: undefined, assistantAnswer: undefined };
        expect(webhookPayload(general)).to.deep.include({ serviceId: null, serviceTitle: null, assistantAnswer: null });
        expect(webhookPayload(stored).summary).to.equal(formatCaseSummary(stored));
    });

    it('posts signed JSON that a receiver verifies, with the reference as the idempotency key', async () => {
        const receiver = await startWebhookReceiver(secret);
        try {
            await new WebhookTransport().deliver(stored, target(receiver.url));
            expect(receiver.requests).to.deep.equal([
                { idempotencyKey: 'ATB-7K3F9', contentType: 'application/json', signatureValid: true, status: 200 },
            ]);
            expect(receiver.accepted.get('ATB-7K3F9')).to.deep.equal(
                JSON.parse(JSON.stringify(webhookPayload(stored))),
            );
        } finally {
            await receiver.close();
        }
    });

    it('counts only 2xx as delivered: a redirect is not followed, and a timeout is a failure', async () => {
        const server = http.createServer((req, res) => {
            // Not chained: restify, loaded by other tests, replaces writeHead with one that returns nothing.
            if (req.url === '/moved') {
                res.writeHead(307, { location: '/elsewhere' });
                res.end();
            }
            // '/slow' never answers.
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
            let error: unknown;
            await new WebhookTransport().deliver(stored, target(`${base}/moved`)).catch((e: unknown) => (error = e));
            expect(error).to.have.property('message', 'webhook answered HTTP 307');
            error = undefined;
            await new WebhookTransport({ timeoutMs: 20 })
                .deliver(stored, target(`${base}/slow`))
                .catch((e: unknown) => (error = e));
            expect(error).to.have.property('name', 'TimeoutError');
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });

    it('refuses, for good, a team without a webhook', async () => {
        let error: unknown;
        await new WebhookTransport()
            .deliver(stored, { team: 'waste', teamName: 'Waste' })
            .catch((e: unknown) => (error = e));
        expect(error).to.include({ code: 'DELIVERY_FAILED', permanent: true });
    });
});
