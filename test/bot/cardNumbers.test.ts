import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { AgentClient, say } from '../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { openChat } from '../helpers/directLineClient';
import { startTestServer } from '../helpers/server';
import { startWebhookReceiver } from '../helpers/webhookReceiver';
import { KnowledgeCopy } from '../knowledge/knowledgeFixture';

// A Luhn-valid card number, its expiry and security code, and a National Insurance number, as residents type them.
const card = '4539 1488 0343 6467';
const typed = `I want to pay my council tax, my card is ${card} exp 11/29 cvv 947 and my NI is QQ 12 34 56 C`;
/** Anything of those that must never be kept: the card's first twelve digits however they are spaced, the code. */
const leaks = [/4539\D{0,4}1488\D{0,4}0343/, /\b947\b/, /11\/29/, /QQ\W{0,4}12\W{0,4}34/i];

const everyFile = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        return entry.isDirectory() ? everyFile(file) : [file];
    });

describe('card and National Insurance numbers a resident types', function () {
    this.timeout(60_000);
    const secret = 'customer-services-secret-0123';
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let copy: KnowledgeCopy;
    let server: Awaited<ReturnType<typeof startTestServer>>;

    before(async () => {
        receiver = await startWebhookReceiver(secret);
        agents = await writeAgentsFixture([{ username: 'boss', name: 'Morgan Manager', role: 'manager' }]);
        copy = new KnowledgeCopy();
        const team = '{ id: customer-services, name: Customer Services, queue: general, email: contact@anytown.gov.uk';
        copy.replace('council.yaml', `${team} }`, `${team}, delivery: { webhook: { url: "${receiver.url}" } } }`);
        // "I want to pay my council tax" is answered (the council tax team's case) or clarified (Customer
        // Services'), depending on the knowledge: deliver either team's cases to the receiver.
        const revenues =
            '{ id: revenues, name: Council Tax and Business Rates, queue: revenues, email: counciltax@anytown.gov.uk';
        copy.replace(
            'council.yaml',
            `${revenues} }`,
            `${revenues}, delivery: { webhook: { url: "${receiver.url}" } } }`,
        );
        server = await startTestServer(
            {
                KNOWLEDGE_DIR: copy.dir,
                KNOWLEDGE_WATCH: 'false',
                AGENTS_FILE: agents.file,
                SESSION_SECRET: testSessionSecret,
                WEBHOOK_SECRET_CUSTOMER_SERVICES: secret,
                WEBHOOK_SECRET_REVENUES: secret,
                LOG_LEVEL: 'debug',
            },
            { delivery: { intervalMs: 5 } },
        );
    });
    after(async () => {
        await server?.close();
        await receiver?.close();
        agents?.dispose();
        copy?.dispose();
    });

    it('are masked before anything keeps them, and the resident is told never to type card details', async () => {
        // Through the built-in Direct Line, which keeps each conversation's recent activities.
        const chat = await openChat(server.url);
        try {
            await chat.waitForBot('Hello');
            await chat.say(typed);
            const warning = await chat.waitForBot('never type card details');
            expect(warning.text).to.contain('I have hidden the card number');
            // The answer still comes: the question is understood without the number.
            await chat.waitForBot('council tax');
            // The page is sent back the message as kept, masked.
            const echoed = chat.received.find((a) => a.from.role !== 'bot' && a.type === 'message');
            expect((echoed as { text?: string }).text).to.equal(
                'I want to pay my council tax, my card is [card ending 6467] and my NI is [NI number ending 56 C]',
            );
        } finally {
            chat.end();
        }

        // The same words, then a request for a person, through /api/messages: a case, delivered by webhook.
        await say(server.url, 'card-case', typed);
        await say(server.url, 'card-case', 'can i speak to someone');
        for (const step of ['Alex Resident', 'Phone', '07700900123', 'Yes, share them']) {
            await say(server.url, 'card-case', step);
        }
        const reference = /ATB-[0-9A-Z]{5}/.exec(await say(server.url, 'card-case', 'Yes, send it'))?.[0] ?? '';
        for (let i = 0; i < 200 && !receiver.accepted.has(reference); i++) {
            await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const delivered = JSON.stringify(receiver.accepted.get(reference));
        expect(delivered).to.contain('[card ending 6467]');

        const manager = new AgentClient(server.url);
        expect((await manager.signIn('boss', agentPassword)).status).to.equal(303);
        const casePage = (await manager.get(`/agent/cases/${reference}`)).text;
        expect(casePage).to.contain('[card ending 6467]');

        const kept = {
            webhook: delivered,
            'case page': casePage,
            logs: server.logLines.join('\n'),
            ...Object.fromEntries(everyFile(server.dataDir).map((file) => [file, fs.readFileSync(file, 'latin1')])),
        };
        for (const [where, text] of Object.entries(kept)) {
            for (const leak of leaks) expect(leak.test(text), `${leak} in ${where}`).to.equal(false);
        }
    });
});
