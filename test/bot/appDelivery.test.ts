import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createApp } from '../../bot/app';
import { ConfigError, loadConfig } from '../../bot/config';
import { capturedLogger } from '../helpers/capturedLogger';
import { messageActivity, startTestServer } from '../helpers/server';
import { startWebhookReceiver } from '../helpers/webhookReceiver';
import { KnowledgeCopy } from '../knowledge/knowledgeFixture';
import { saturdayEvening } from '../helpers/assistant';

const secret = 'customer-services-secret-0123';
const team = '{ id: customer-services, name: Customer Services, queue: general, email: contact@anytown.gov.uk';

/** The sample knowledge with a webhook for the default team (where "speak to someone" cases go). */
function knowledgeWithWebhook(url: string): KnowledgeCopy {
    const copy = new KnowledgeCopy();
    copy.replace('council.yaml', `${team} }`, `${team}, delivery: { webhook: { url: "${url}" } } }`);
    return copy;
}

async function say(url: string, text: string): Promise<string> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(text, 'conv-delivery')),
    });
    const body = (await response.json()) as {
        activities?: { text?: string; suggestedActions?: { actions: { title?: string }[] } }[];
    };
    // The texts and the buttons' titles, as the resident sees them.
    return (body.activities ?? [])
        .flatMap((a) => [a.text ?? '', ...(a.suggestedActions?.actions ?? []).map((action) => action.title ?? '')])
        .join('\n');
}

describe('delivery in the running service', function () {
    this.timeout(30_000);

    it('out of hours, still gives a reference and sends the case to the team webhook', async () => {
        const receiver = await startWebhookReceiver(secret);
        const copy = knowledgeWithWebhook(receiver.url);
        const server = await startTestServer(
            { KNOWLEDGE_DIR: copy.dir, WEBHOOK_SECRET_CUSTOMER_SERVICES: secret },
            { delivery: { intervalMs: 5 }, now: () => saturdayEvening },
        );
        try {
            // Closed: the resident hears when the team opens, and is not offered a live chat nobody would answer.
            expect(await say(server.url, 'can i speak to someone')).to.match(/closed|opens/i);
            const methods = await say(server.url, 'Jo Bloggs');
            expect(methods).to.contain('Phone');
            expect(methods).not.to.contain('Carry on in this chat');
            await say(server.url, 'Phone');
            await say(server.url, '07700900123');
            await say(server.url, 'Yes, share them');
            const received = await say(server.url, 'Yes, send it');
            const reference = /ATB-[0-9A-Z]{5}/.exec(received)?.[0];
            expect(reference, received).to.be.a('string');
            const sent = () => server.logLines.some((line) => line.includes('"message":"delivery.sent"'));
            while (!sent()) await new Promise((resolve) => setTimeout(resolve, 5));
            expect([...receiver.accepted.keys()], JSON.stringify(receiver.requests)).to.deep.equal([reference]);
            expect(receiver.accepted.get(reference ?? '')?.details).to.deep.include({ name: 'Jo Bloggs' });
        } finally {
            await server.close();
            await receiver.close();
            copy.dispose();
        }
    });

    it('refuses to start when a team has a webhook but its secret is not set, naming the variable', async () => {
        const copy = knowledgeWithWebhook('https://crm.anytown.gov.uk/api/cases');
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-config-'));
        try {
            let error: unknown;
            await createApp(loadConfig({ KNOWLEDGE_DIR: copy.dir, DATA_DIR: dataDir }), capturedLogger().log).catch(
                (e: unknown) => (error = e),
            );
            expect(error).to.be.instanceOf(ConfigError);
            expect(error)
                .to.have.property('message')
                .that.matches(/WEBHOOK_SECRET_CUSTOMER_SERVICES/);
            expect(fs.readdirSync(dataDir), 'nothing opened').to.deep.equal([]);
        } finally {
            copy.dispose();
            fs.rmSync(dataDir, { recursive: true, force: true });
        }
    });
});
