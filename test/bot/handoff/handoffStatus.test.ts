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

describe('handoff.status events from an omnichannel platform', function () {
    this.timeout(30_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
        ]);
        server = await startTestServer({
            AGENTS_FILE: agents.file,
            SESSION_SECRET: testSessionSecret,
            HANDOFF_EVENT_CHANNELS: 'test',
        });
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

    it('ignores a malformed status or one for a conversation without a case, with a 2xx and a log line', async () => {
        expect(await handoffStatus(server.url, 'omni-3', { state: 'accepted' })).to.deep.equal([]);
        expect(await handoffStatus(server.url, 'omni-3', { state: 'exploded' })).to.deep.equal([]);
        expect(server.logLines.filter((l) => l.includes('handoff.status_ignored'))).to.have.length(2);
    });
});
