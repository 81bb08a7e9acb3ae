import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import WebSocket from 'ws';
import { createPostgresPool } from '../../bot/stores/createPostgresPool';
import { AgentClient } from '../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { startInstance, type Instance } from '../helpers/instances';
import { usePostgres } from '../helpers/postgres';
import { readEvents } from '../helpers/serverSentEvents';
import { phoneCaseSteps } from '../helpers/caseSteps';
import { startWebhookReceiver } from '../helpers/webhookReceiver';
import { KnowledgeCopy } from '../knowledge/knowledgeFixture';

const webhookSecret = 'scale-out-webhook-secret-0123';
const team = '{ id: customer-services, name: Customer Services, queue: general, email: contact@anytown.gov.uk';
const always = "[{ opens: '00:00', closes: '23:59' }]";

/** The sample knowledge with live chat open all week (the test runs at any hour) and, optionally, a webhook. */
function knowledge(webhookUrl?: string): KnowledgeCopy {
    const copy = new KnowledgeCopy();
    const council = copy.read('council.yaml');
    const liveChat = /^liveChat:\n(?: {2}.*\n| {4}.*\n)+/m.exec(council)?.[0] ?? '';
    const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'bankHolidays'];
    let text = council.replace(
        liveChat,
        `liveChat:\n  openingHours:\n${days.map((d) => `    ${d}: ${always}\n`).join('')}  unclaimedMinutes: 10\n`,
    );
    if (webhookUrl) text = text.replace(`${team} }`, `${team}, delivery: { webhook: { url: "${webhookUrl}" } } }`);
    copy.write('council.yaml', text);
    return copy;
}

/** A resident in Web Chat, whose requests the load balancer sends to whichever instance it likes. */
class Resident {
    readonly received: { text?: string; from?: { role?: string } }[] = [];
    private socket: WebSocket | undefined;

    private constructor(
        readonly conversationId: string,
        private readonly token: string,
    ) {}

    /** Gets a token from one instance and starts the conversation on another. */
    static async start(tokenFrom: Instance, startOn: Instance): Promise<Resident> {
        const issued = await fetch(`${tokenFrom.url}/api/directline/token`, { method: 'POST' });
        const { token, conversationId } = (await issued.json()) as { token: string; conversationId: string };
        const started = await fetch(`${startOn.url}/v3/directline/conversations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
        });
        expect(started.status).to.equal(201);
        return new Resident(conversationId, token);
    }

    /** Holds the WebSocket stream open on `instance` (closing any other). */
    async streamFrom(instance: Instance): Promise<void> {
        this.socket?.terminate();
        const url = `${instance.url.replace(/^http/, 'ws')}/v3/directline/conversations/${this.conversationId}/stream`;
        const socket = new WebSocket(`${url}?watermark=0&t=${encodeURIComponent(this.token)}`);
        this.received.length = 0;
        socket.on('message', (data) => {
            const set = JSON.parse(String(data)) as { activities: Resident['received'] };
            this.received.push(...set.activities.filter((a) => a.from?.role === 'bot'));
        });
        await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
        this.socket = socket;
    }

    async say(instance: Instance, text: string): Promise<void> {
        const response = await fetch(`${instance.url}/v3/directline/conversations/${this.conversationId}/activities`, {
            method: 'POST',
            headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', text }),
        });
        expect(response.status, await response.text()).to.equal(200);
    }

    /** Waits until the stream has brought a bot message containing `fragment`; returns its text. */
    async waitFor(fragment: string, timeoutMs = 15_000): Promise<string> {
        const until = Date.now() + timeoutMs;
        while (Date.now() < until) {
            const found = this.received.find((a) => a.text?.includes(fragment));
            if (found?.text) return found.text;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(
            `no "${fragment}" within ${timeoutMs} ms; got: ${this.received.map((a) => a.text).join(' | ')}`,
        );
    }

    close(): void {
        this.socket?.terminate();
    }
}

describe('several instances on one PostgreSQL, as separate processes', function () {
    this.timeout(120_000);
    const { freshSchema } = usePostgres('scale_out_test');
    let schema: { url: string; drop: () => Promise<void> };
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let copy: KnowledgeCopy;
    const started: Instance[] = [];
    const dataDirs: string[] = [];

    const start = async (name: string, extra: Record<string, string> = {}) => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `instance-${name}-`));
        dataDirs.push(dataDir);
        const instance = await startInstance(name, {
            DATABASE_URL: schema.url,
            DATABASE_POOL_SIZE: '4',
            SESSION_SECRET: testSessionSecret,
            AGENTS_FILE: agents.file,
            KNOWLEDGE_DIR: copy.dir,
            DATA_DIR: dataDir,
            ...extra,
        });
        started.push(instance);
        return instance;
    };

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
    });
    beforeEach(async () => {
        schema = await freshSchema();
    });
    afterEach(async () => {
        await Promise.all(started.splice(0).map((instance) => instance.stop()));
        copy?.dispose();
        for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
        await schema.drop();
    });
    after(() => agents.dispose());

    it('carries one conversation whose messages alternate between three instances, state and stream intact', async () => {
        copy = knowledge();
        const [a, b, c] = await Promise.all([start('a'), start('b'), start('c')]);
        const resident = await Resident.start(a as Instance, b as Instance);
        // The stream is held by A; every reply below is produced on B or C.
        await resident.streamFrom(a as Instance);
        await resident.waitFor('Anytown');

        // A dialog spread over instances: each step's state is saved on one and read on the next.
        await resident.say(b as Instance, 'can i speak to someone');
        await resident.waitFor('your name');
        await resident.say(c as Instance, 'Alex Resident');
        await resident.waitFor('How would you like');
        await resident.say(a as Instance, 'Phone');
        await resident.waitFor('What phone number');
        await resident.say(b as Instance, '07700900123');
        await resident.say(c as Instance, 'Yes, share them');
        await resident.say(a as Instance, 'Yes, send it');
        const received = await resident.waitFor('Your reference is');
        const reference = /ATB-[0-9A-Z]{5}/.exec(received)?.[0];
        expect(reference).to.be.a('string');
        await resident.say(c as Instance, 'when is my bin collected');
        await resident.waitFor('bin collection day');

        // A reload on another instance replays the whole conversation from the shared store.
        await resident.streamFrom(c as Instance);
        await resident.waitFor('Your reference is');
        resident.close();

        // A double-click that the load balancer splits: two turns of one conversation at once on two instances.
        await Promise.all([
            resident.say(a as Instance, 'council tax bands'),
            resident.say(b as Instance, 'report a pothole'),
        ]);
        const pool = createPostgresPool(schema.url);
        try {
            const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM cases');
            expect(Number(rows[0]?.count)).to.equal(1);
            // Neither turn's update to the conversation's state was lost.
            const state = await pool.query<{ data: { facts: { transcript: { text: string }[] } } }>(
                'SELECT data FROM bot_state WHERE key = $1',
                [`directline/conversations/${resident.conversationId}/`],
            );
            const said = state.rows[0]?.data.facts.transcript.map((line) => line.text) ?? [];
            expect(said).to.include.members(['council tax bands', 'report a pothole', 'when is my bin collected']);
        } finally {
            await pool.end();
        }
    });

    it('connects a resident on one instance with an agent signed in on another, both ways', async () => {
        copy = knowledge();
        const [agentSide, residentSide] = await Promise.all([start('agent-side'), start('resident-side')]);
        const a = agentSide as Instance;
        const b = residentSide as Instance;
        const resident = await Resident.start(b, b);
        await resident.streamFrom(b);
        await resident.waitFor('Anytown');
        const steps: [string, string | undefined][] = [
            ['can i speak to someone', 'your name'],
            ['Alex Resident', 'How would you like'],
            ['Carry on in this chat', 'If no adviser can join within'],
            ['Email', undefined],
            ['alex@example.com', undefined],
            ['Yes, share them', 'In this chat'],
            ['Yes, send it', 'You are number 1 in the queue'],
        ];
        for (const [text, expected] of steps) {
            await resident.say(b, text);
            if (expected) await resident.waitFor(expected);
        }
        const reference = /ATB-[0-9A-Z]{5}/.exec(await resident.waitFor('Your reference is'))?.[0] ?? '';

        const agent = new AgentClient(a.url);
        expect((await agent.signIn('cs.one', agentPassword)).status).to.equal(303);
        expect((await agent.get('/agent')).text).to.contain(reference);
        expect((await agent.post(`/agent/cases/${reference}/claim`, {})).status).to.equal(303);
        // Claimed on A; the resident's stream on B hears it.
        expect(await resident.waitFor('has joined the chat')).to.equal(
            'Chris from Customer Services has joined the chat.',
        );

        const page = await agent.get(`/agent/cases/${reference}`);
        const eventsPath = /data-events="([^"]+)"/.exec(page.text)?.[1] ?? '';
        const events = await fetch(`${a.url}${eventsPath}`, {
            headers: { cookie: `agent_session=${agent.cookies.get('agent_session')}` },
        });
        const lines = readEvents(events, 'line', 2, 15_000);
        const sent = await fetch(`${a.url}/agent/cases/${reference}/messages`, {
            method: 'POST',
            headers: {
                accept: 'application/json',
                'content-type': 'application/x-www-form-urlencoded',
                cookie: `agent_session=${agent.cookies.get('agent_session')}`,
            },
            body: new URLSearchParams({ csrf: agent.csrf, text: 'Hello from instance A' }),
        });
        expect(sent.status).to.equal(201);
        await resident.waitFor('Hello from instance A');

        // The resident's message, taken by B, reaches the agent's open page on A.
        await resident.say(b, 'Thanks, my bin was missed');
        const [agentLine, residentLine] = (await lines) as { from: string; text: string }[];
        expect(agentLine).to.include({ from: 'agent', text: 'Hello from instance A' });
        expect(residentLine).to.include({ from: 'resident', text: 'Thanks, my bin was missed' });

        expect((await agent.post(`/agent/cases/${reference}/close`, { outcome: 'resolved' })).status).to.equal(303);
        expect(await resident.waitFor('has ended the chat')).to.contain(reference);
        resident.close();
    });

    it('delivers a case exactly once when the instance sending it is killed mid-delivery', async () => {
        const receiver = await startWebhookReceiver(webhookSecret, { hangFirst: true });
        copy = knowledge(receiver.url);
        const delivery = { WEBHOOK_SECRET_CUSTOMER_SERVICES: webhookSecret, WEBHOOK_TIMEOUT_SECONDS: '2' };
        try {
            // Only A runs while the case is made, so A's worker takes the delivery, and hangs on the receiver.
            const a = await start('doomed', delivery);
            const resident = await Resident.start(a, a);
            await resident.streamFrom(a);
            for (const text of phoneCaseSteps) {
                await resident.say(a, text);
                await new Promise((resolve) => setTimeout(resolve, 150));
            }
            const reference = /ATB-[0-9A-Z]{5}/.exec(await resident.waitFor('Your reference is'))?.[0] ?? '';
            resident.close();
            const until = Date.now() + 20_000;
            while (receiver.hung.length === 0 && Date.now() < until) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            expect(receiver.hung).to.deep.equal([reference]);

            const [b, c] = await Promise.all([start('survivor-b', delivery), start('survivor-c', delivery)]);
            await a.kill();
            started.splice(started.indexOf(a), 1);

            // Once A's claim runs out (2 s attempt + 10 s), B or C delivers it; the other never does.
            const deadline = Date.now() + 40_000;
            while (!receiver.accepted.has(reference) && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
            expect(receiver.accepted.has(reference)).to.equal(true);
            await new Promise((resolve) => setTimeout(resolve, 6_000));
            const answered = receiver.requests.filter((r) => r.idempotencyKey === reference && r.status === 200);
            expect(answered).to.have.length(1);
            const senders = [b, c].filter((i) => i.logs.some((l) => l.includes('"message":"delivery.sent"')));
            expect(senders).to.have.length(1);
        } finally {
            await receiver.close();
        }
    });
});
