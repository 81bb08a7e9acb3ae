import fs from 'node:fs';
import { expect } from 'chai';
import { AgentClient } from '../../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../../helpers/agentsFixture';
import { mondayMorning, saturdayEvening } from '../../helpers/assistant';
import { residentWaitsInChat, startFakeChannel } from '../../helpers/fakeChannel';
import { startTestServer } from '../../helpers/server';
import { readEvents } from '../../helpers/serverSentEvents';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Channel = Awaited<ReturnType<typeof startFakeChannel>>;

describe('live chat between a resident and an agent, over HTTP', function () {
    this.timeout(30_000);
    let server: Server;
    let channel: Channel;
    let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
    let clock = mondayMorning;

    before(async () => {
        agents = await writeAgentsFixture([
            { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
            { username: 'cs.two', name: 'Sam Two', role: 'agent', team: 'customer-services' },
            { username: 'cs.three', name: 'Kit Three', role: 'agent', team: 'customer-services' },
            { username: 'waste.one', name: 'Wes Waste', role: 'agent', team: 'waste' },
        ]);
        channel = await startFakeChannel();
        server = await startTestServer(
            { AGENTS_FILE: agents.file, SESSION_SECRET: testSessionSecret, ALLOWED_SERVICE_URLS: channel.url },
            { now: () => clock, liveChatSweepMs: 60 * 60 * 1000 },
        );
    });
    after(async () => {
        await server.close();
        await channel.close();
        agents.dispose();
    });
    beforeEach(() => (clock = mondayMorning));

    const signedIn = async (username: string) => {
        const client = new AgentClient(server.url);
        expect((await client.signIn(username, agentPassword)).status).to.equal(303);
        await client.get('/agent');
        return client;
    };

    it('queues the resident with a position, then relays messages both ways until the agent closes the chat', async () => {
        const reference = await residentWaitsInChat(channel, server.url, 'chat-1');
        expect(await channel.waitForText('chat-1', 'You are number')).to.match(/You are number \d+ in the queue/);

        const agent = await signedIn('cs.one');
        const waiting = await agent.get(`/agent/cases/${reference}`);
        expect(waiting.text).to.contain('The resident is waiting in the chat');
        expect((await agent.post(`/agent/cases/${reference}/claim`, {})).status).to.equal(303);
        expect(await channel.waitForText('chat-1', 'has joined')).to.equal(
            'Chris from Customer Services has joined the chat.',
        );

        const page = await agent.get(`/agent/cases/${reference}`);
        expect(page.text).to.contain('id="chat-form"');
        // The page's own event stream, which starts after the lines the page already shows.
        const eventsPath = /data-events="([^"]+)"/.exec(page.text)?.[1] ?? '';
        expect(eventsPath).to.match(/^\/agent\/cases\/ATB-\w{5}\/events\?after=\d+$/);
        const events = await fetch(`${server.url}${eventsPath}`, {
            headers: { cookie: `agent_session=${agent.cookies.get('agent_session')}` },
        });
        expect(events.headers.get('content-type')).to.match(/^text\/event-stream/);
        const lines = readEvents(events, 'line', 2);

        const sent = await fetch(`${server.url}/agent/cases/${reference}/messages`, {
            method: 'POST',
            headers: {
                accept: 'application/json',
                'content-type': 'application/x-www-form-urlencoded',
                cookie: `agent_session=${agent.cookies.get('agent_session')}`,
            },
            body: new URLSearchParams({ csrf: agent.csrf, text: 'Hello, how can I help? <b>not bold</b> [x](y)' }),
        });
        expect(sent.status).to.equal(201);
        await channel.waitForText('chat-1', 'how can I help');
        const delivered = channel.sent.find((a) => a.text?.includes('Hello, how can I help'));
        expect(delivered?.text).to.equal(
            'Chris, Customer Services adviser: Hello, how can I help? <b>not bold</b> [x](y)',
        );
        expect(delivered?.textFormat).to.equal('plain');

        const before = channel.texts('chat-1').length;
        await channel.say(server.url, 'chat-1', 'My bin was not collected, help');
        const [agentLine, residentLine] = (await lines) as { from: string; text: string }[];
        expect(agentLine).to.include({ from: 'agent' });
        expect(residentLine).to.include({ from: 'resident', text: 'My bin was not collected, help' });
        // The message went to the adviser: the assistant did not answer it, nor take "help" as a command.
        expect(channel.texts('chat-1')).to.have.length(before);

        expect((await agent.post(`/agent/cases/${reference}/close`, { outcome: 'resolved' })).status).to.equal(303);
        expect(await channel.waitForText('chat-1', 'has ended the chat')).to.contain(reference);

        const transcript = (await agent.get(`/agent/cases/${reference}`)).text;
        expect(transcript).to.contain('My bin was not collected, help');
        expect(transcript).to.contain('Hello, how can I help? &lt;b&gt;not bold&lt;/b&gt;');
        expect(transcript).to.contain('The live chat has ended.');

        // After the chat, the assistant answers again.
        await channel.say(server.url, 'chat-1', 'when is my bin collected');
        await channel.waitForText('chat-1', 'bin collection day');
    });

    it("tells an agent's open queue page when a case arrives, and marks a resident waiting in the chat", async () => {
        const agent = await signedIn('cs.one');
        const events = await fetch(`${server.url}/agent/queue/events`, {
            headers: { cookie: `agent_session=${agent.cookies.get('agent_session')}` },
        });
        const changes = readEvents(events, 'queue', 1);
        const reference = await residentWaitsInChat(channel, server.url, 'chat-5');
        expect(await changes).to.deep.equal([{}]);
        const queue = (await agent.get('/agent')).text;
        const row = queue.slice(queue.indexOf(reference));
        expect(row.slice(0, row.indexOf('</tr>'))).to.contain('Live chat, waiting now');
        const stranger = await fetch(`${server.url}/agent/queue/events`);
        expect(stranger.status).to.equal(401);
    });

    it("resumes a page's live updates after the last line it received (Last-Event-ID), missing nothing", async () => {
        const reference = await residentWaitsInChat(channel, server.url, 'chat-6');
        await channel.say(server.url, 'chat-6', 'first while waiting');
        await channel.say(server.url, 'chat-6', 'second while waiting');
        const agent = await signedIn('cs.one');
        const cookie = `agent_session=${agent.cookies.get('agent_session')}`;
        const all = (await readEvents(
            await fetch(`${server.url}/agent/cases/${reference}/events`, { headers: { cookie } }),
            'line',
            100,
            500,
        )) as { text: string }[];
        expect(all.slice(-2).map((l) => l.text)).to.deep.equal(['first while waiting', 'second while waiting']);
        const resumed = await fetch(`${server.url}/agent/cases/${reference}/events`, {
            headers: { cookie, 'last-event-id': String(all.length - 1) },
        });
        expect(await readEvents(resumed, 'line', 1)).to.deep.equal([all.at(-1)]);
    });

    it("keeps a case's live updates from anyone not signed in or in another team, and from a removed account", async () => {
        const reference = await residentWaitsInChat(channel, server.url, 'chat-7');
        expect((await fetch(`${server.url}/agent/cases/${reference}/events`)).status).to.equal(401);
        const stranger = await signedIn('waste.one');
        const refused = await fetch(`${server.url}/agent/cases/${reference}/events`, {
            headers: { cookie: `agent_session=${stranger.cookies.get('agent_session')}` },
        });
        expect(refused.status).to.equal(404);

        const leaving = await signedIn('cs.three');
        const page = (await leaving.get(`/agent/cases/${reference}`)).text;
        const eventsPath = /data-events="([^"]+)"/.exec(page)?.[1] ?? '';
        const open = await fetch(`${server.url}${eventsPath}`, {
            headers: { cookie: `agent_session=${leaving.cookies.get('agent_session')}` },
        });
        expect(open.status).to.equal(200);
        const accounts = JSON.parse(fs.readFileSync(agents.file, 'utf8')) as { username: string }[];
        fs.writeFileSync(agents.file, JSON.stringify(accounts.filter((a) => a.username !== 'cs.three')));
        // Make sure the directory sees a new modification time.
        fs.utimesSync(agents.file, new Date(), new Date(Date.now() + 2000));
        await channel.say(server.url, 'chat-7', 'are you there?');
        // The stream ends instead of passing the line on.
        expect(await readEvents(open, 'line', 1)).to.deep.equal([]);
        fs.writeFileSync(agents.file, JSON.stringify(accounts));
        fs.utimesSync(agents.file, new Date(), new Date(Date.now() + 4000));
    });

    it('lets only the agent who claimed a live chat write in it', async () => {
        const reference = await residentWaitsInChat(channel, server.url, 'chat-2');
        const owner = await signedIn('cs.one');
        await owner.post(`/agent/cases/${reference}/claim`, {});
        const other = await signedIn('cs.two');
        await other.get(`/agent/cases/${reference}`);
        const refused = await other.post(`/agent/cases/${reference}/messages`, { text: 'hello' });
        expect(refused.status).to.equal(409);
        const empty = await owner.post(`/agent/cases/${reference}/messages`, { text: '   ' });
        expect(empty.status).to.equal(400);
        const sent = await owner.post(`/agent/cases/${reference}/messages`, { text: 'Hi from the form' });
        expect(sent.status).to.equal(303);
        await channel.waitForText('chat-2', 'Hi from the form');
    });

    it('tells a resident who leaves the chat that the team will email them, and shows the agent', async () => {
        const reference = await residentWaitsInChat(channel, server.url, 'chat-3');
        await channel.say(server.url, 'chat-3', 'end chat');
        expect(await channel.waitForText('chat-3', 'You have left the chat')).to.contain('by email');
        const agent = await signedIn('cs.one');
        const page = await agent.get(`/agent/cases/${reference}`);
        expect(page.text).to.contain('The live chat has ended.');
        expect(page.text).to.contain('Claim this case');
    });

    it('does not offer the chat out of live chat hours', async () => {
        clock = saturdayEvening;
        await channel.say(server.url, 'chat-4', 'can i speak to someone');
        await channel.say(server.url, 'chat-4', 'Alex Resident');
        await channel.waitForText('chat-4', 'How would you like');
        const question = channel.sent.filter((a) => a.conversation?.id === 'chat-4').at(-1);
        expect(question?.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['Phone', 'Email']);
    });
});
