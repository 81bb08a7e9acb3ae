import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { AgentClient, say } from '../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { messageActivity, startTestServer } from '../helpers/server';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('abuse an attack review tried', function () {
    this.timeout(60_000);

    describe('limits on the route, whatever the spelling of its path', () => {
        let server: Server;
        before(async () => {
            server = await startTestServer({ TRUST_PROXY: '127.0.0.1', RATE_LIMIT_NEW_CHATS: '2' });
        });
        after(() => server.close());

        const spellings = [
            '/api/directline/token',
            '/api/directline/%74oken',
            '/api/directline/token;x',
            '/api/directline/token/',
            '/api/directline/token?x=1',
            '/api//directline/token',
            '/api/directline/./token',
            '/API/directline/token',
        ];
        for (const [i, spelling] of spellings.entries()) {
            it(`counts ${spelling} as a new chat, if it reaches the token handler at all`, async () => {
                const from = { 'x-forwarded-for': `192.0.2.${i + 10}` };
                const statuses: number[] = [];
                for (let n = 0; n < 3; n++) {
                    statuses.push((await fetch(`${server.url}${spelling}`, { method: 'POST', headers: from })).status);
                }
                expect(statuses.filter((s) => s === 200).length, statuses.join()).to.be.at.most(2);
                expect(statuses[2], statuses.join()).not.to.equal(200);
            });
        }
    });

    describe('requests for a person from one connection', () => {
        let server: Server;
        let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
        before(async () => {
            agents = await writeAgentsFixture([{ username: 'boss', name: 'Morgan Manager', role: 'manager' }]);
            server = await startTestServer({
                AGENTS_FILE: agents.file,
                SESSION_SECRET: testSessionSecret,
                RATE_LIMIT_CASES_PER_HOUR: '3',
            });
        });
        after(async () => {
            await server.close();
            agents.dispose();
        });

        /** A safety phrase, then a person, then the details: what the review's script sent in a loop. */
        const urgentCase = async (conversation: string) => {
            const signposted = await say(server.url, conversation, 'my partner hit me');
            expect(signposted).to.contain('999');
            await say(server.url, conversation, 'talk to a person');
            for (const step of ['Sam Smith', 'Phone', '07700900123', 'Yes, share them']) {
                await say(server.url, conversation, step);
            }
            return say(server.url, conversation, 'Yes, send it');
        };
        const priorities = () => {
            const db = new Database(path.join(server.dataDir, 'assistant.sqlite'), { readonly: true });
            try {
                return db
                    .prepare("SELECT priority, json_extract(data, '$.flags.automated') AS automated FROM cases")
                    .all() as { priority: string; automated: string | null }[];
            } finally {
                db.close();
            }
        };

        it('queues the first urgent case first, flags the next seconds later as possibly automated, then refuses', async () => {
            expect(await urgentCase('flood-1')).to.match(/ATB-[0-9A-Z]{5}/);
            expect(await urgentCase('flood-2')).to.match(/ATB-[0-9A-Z]{5}/);
            expect(priorities()).to.deep.equal([
                { priority: 'urgent', automated: null },
                { priority: 'normal', automated: priorities()[1]?.automated },
            ]);
            expect(priorities()[1]?.automated).to.match(
                /another urgent request came from the same connection \d+ s before/,
            );

            const manager = new AgentClient(server.url);
            expect((await manager.signIn('boss', agentPassword)).status).to.equal(303);
            const queue = (await manager.get('/agent')).text;
            expect(queue).to.contain('Check: possibly automated');
            expect(queue.match(/tag-urgent/g)).to.have.length(1);

            await urgentCase('flood-3');
            const refused = await urgentCase('flood-4');
            expect(refused).to.contain('several requests from this connection');
            expect(refused).not.to.match(/Your reference is/);
            // The emergency signposting still came first for the refused one.
            expect(priorities()).to.have.length(3);
        });
    });

    describe('attribution', () => {
        let server: Server;
        before(async () => {
            server = await startTestServer({});
        });
        after(() => server.close());

        it('records a channel and partner site an anonymous request claims as unverified, with no site', async () => {
            const forged = {
                ...messageActivity('zzqx flibber', 'forged'),
                channelId: 'msteams',
                channelData: { site: 'riverside-housing' },
            };
            const response = await fetch(`${server.url}/api/messages`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(forged),
            });
            expect(response.status).to.equal(200);
            const db = new Database(path.join(server.dataDir, 'assistant.sqlite'), { readonly: true });
            try {
                const events = db.prepare('SELECT data FROM insight_events').all() as { data: string }[];
                const recorded = events.map((e) => JSON.parse(e.data) as { channel: string; site?: string });
                expect(recorded.length).to.be.above(0);
                for (const event of recorded) {
                    expect(event.channel).to.equal('unverified');
                    expect(event.site).to.equal(undefined);
                }
            } finally {
                db.close();
            }
        });
    });
});
