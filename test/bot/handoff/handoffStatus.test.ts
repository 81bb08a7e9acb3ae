import { expect } from 'chai';
import { AgentClient, createCaseThroughBot } from '../../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../../helpers/agentsFixture';
import { messageActivity, startTestServer } from '../../helpers/server';

/** Sends a handoff.status event, as an omnichannel platform would, and returns the texts of the bot's replies. */
async function handoffStatus(url: string, conversationId: string, value: unknown): Promise<string[]> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...messageActivity('', conversationId), type: 'event', name: 'handoff.status', value }),
    });
    expect(response.status).to.be.below(300);
    const body = (await response.json()) as { activities?: { text?: string }[] };
    return (body.activities ?? []).map((a) => a.text ?? '');
}

/** Sends a resident's message; returns the texts and button titles of the replies. */
async function say(url: string, conversationId: string, text: string): Promise<string> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(text, conversationId)),
    });
    const body = (await response.json()) as {
        activities?: { text?: string; suggestedActions?: { actions: { title?: string }[] } }[];
    };
    return (body.activities ?? [])
        .flatMap((a) => [a.text ?? '', ...(a.suggestedActions?.actions ?? []).map((action) => action.title ?? '')])
        .join('\n');
}

describe('handoff.status events from an omnichannel platform', function () {
    this.timeout(30_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        // As behind Azure Bot Service, where Bot Framework authentication vouches that the platform sent the event.
        server = await startTestServer(
            { AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret, HANDOFF_EVENT_CHANNELS: 'test' },
            { vouchForAnonymous: true },
        );
    });
    after(async () => {
        await server.close();
        agents.dispose();
    });

    const casePage = async (reference: string) => {
        const agent = new AgentClient(server.url);
        await agent.signIn('cs.one', agentPassword);
        return (await agent.get(`/agent/cases/${reference}`)).text;
    };

    it('takes the case out of the console queue when the platform accepts it', async () => {
        const reference = await createCaseThroughBot(server.url, 'omni-1', 'Jo Omni');
        expect(await handoffStatus(server.url, 'omni-1', { state: 'accepted' })).to.deep.equal([]);
        expect(await casePage(reference)).to.contain('Taken by omnichannel');
    });

    it('tells the resident the team will follow up when the platform fails to take it', async () => {
        const reference = await createCaseThroughBot(server.url, 'omni-2', 'Jo Omni');
        const [reply] = await handoffStatus(server.url, 'omni-2', { state: 'failed', message: 'no agents' });
        expect(reply).to.equal(
            `Sorry, I could not connect you to an adviser here. Customer Services will contact you by phone instead. Your reference is ${reference}.`,
        );
        expect(await casePage(reference)).to.contain('Claim this case');
    });

    it('closes the case when the platform says its agent completed it', async () => {
        const reference = await createCaseThroughBot(server.url, 'omni-4', 'Jo Omni');
        await handoffStatus(server.url, 'omni-4', { state: 'accepted' });
        await handoffStatus(server.url, 'omni-4', { state: 'completed' });
        expect(await casePage(reference)).to.contain('Closed: Resolved');
    });

    it('does not offer a live chat where the platform takes the conversation', async () => {
        await say(server.url, 'omni-5', 'can i speak to someone');
        const methods = await say(server.url, 'omni-5', 'Jo Omni');
        expect(methods).to.contain('Phone');
        expect(methods).not.to.contain('Carry on in this chat');
    });

    it('ignores a malformed status or one for a conversation without a case, with a 2xx and a log line', async () => {
        expect(await handoffStatus(server.url, 'omni-3', { state: 'accepted' })).to.deep.equal([]);
        expect(await handoffStatus(server.url, 'omni-3', { state: 'exploded' })).to.deep.equal([]);
        expect(server.logLines.filter((l) => l.includes('handoff.status_ignored'))).to.have.length(2);
    });
});

describe('handoff.status events where no platform is configured', function () {
    this.timeout(30_000);

    it('ignores one nothing vouches for, even on a platform channel: an anonymous sender cannot close a case', async () => {
        const agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        const server = await startTestServer({
            AGENTS_FILE: agents.file,
            SESSION_SECRET: testSessionSecret,
            HANDOFF_EVENT_CHANNELS: 'test',
        });
        try {
            const reference = await createCaseThroughBot(server.url, 'forged-1', 'Jo Forger');
            await handoffStatus(server.url, 'forged-1', { state: 'accepted' });
            await handoffStatus(server.url, 'forged-1', { state: 'completed' });
            const agent = new AgentClient(server.url);
            await agent.signIn('cs.one', agentPassword);
            expect((await agent.get(`/agent/cases/${reference}`)).text).to.contain('Claim this case');
        } finally {
            await server.close();
            agents.dispose();
        }
    });

    it('ignores them: a Web Chat client cannot take its own case off the queue', async () => {
        const agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        const server = await startTestServer({ AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret });
        try {
            const reference = await createCaseThroughBot(server.url, 'self-1', 'Jo Sneaky');
            expect(await handoffStatus(server.url, 'self-1', { state: 'accepted' })).to.deep.equal([]);
            const agent = new AgentClient(server.url);
            await agent.signIn('cs.one', agentPassword);
            expect((await agent.get(`/agent/cases/${reference}`)).text).to.contain('Claim this case');
            expect(server.logLines.some((l) => l.includes('handoff.status_ignored'))).to.equal(true);
        } finally {
            await server.close();
            agents.dispose();
        }
    });
});
