import { expect } from 'chai';
import { messageActivity, startTestServer } from '../../helpers/server';

const staffTenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const otherTenant = '11111111-2222-3333-4444-555555555555';

/** A Teams message as Teams sends it (replies asked for in the response). */
function teamsMessage(text: string, options: { conversationType: string; tenant?: string; mention?: boolean }) {
    const base = messageActivity(text, `teams-${options.conversationType}-${Math.random()}`);
    const bot = { id: '28:assistant', name: 'Anytown Assistant' };
    return {
        ...base,
        channelId: 'msteams',
        recipient: bot,
        conversation: { ...base.conversation, conversationType: options.conversationType, tenantId: options.tenant },
        channelData: { tenant: { id: options.tenant ?? otherTenant } },
        text: options.mention ? `<at>Anytown Assistant</at> ${text}` : text,
        ...(options.mention && {
            entities: [{ type: 'mention', mentioned: bot, text: '<at>Anytown Assistant</at>' }],
        }),
    };
}

async function send(url: string, activity: unknown): Promise<string[]> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
    });
    expect(response.status).to.be.below(300);
    const text = await response.text();
    const body = (text ? JSON.parse(text) : {}) as { activities?: { text?: string }[] };
    return (body.activities ?? []).map((a) => a.text ?? '');
}

describe('Teams, for staff testing', function () {
    this.timeout(30_000);
    let server: Awaited<ReturnType<typeof startTestServer>>;
    before(async () => {
        server = await startTestServer({ STAFF_TENANT_IDS: staffTenant });
    });
    after(async () => server.close());

    it('answers every message in a personal chat', async () => {
        const replies = await send(server.url, teamsMessage('when is my bin day', { conversationType: 'personal' }));
        expect(replies.join('\n')).to.contain('bin collection day');
    });

    it('in a group chat or channel answers only when mentioned, without the mention in the question', async () => {
        for (const conversationType of ['groupChat', 'channel']) {
            expect(await send(server.url, teamsMessage('when is my bin day', { conversationType }))).to.deep.equal([]);
            const replies = await send(
                server.url,
                teamsMessage('when is my bin day', { conversationType, mention: true }),
            );
            expect(replies.join('\n'), conversationType).to.contain('bin collection day');
        }
    });

    /** Asks a question, then /why, in one Teams conversation; returns the replies to /why. */
    const askWhy = async (url: string, tenant: string, id: string) => {
        const conversation = { id, conversationType: 'personal', tenantId: tenant };
        const say = (text: string) =>
            send(url, { ...teamsMessage(text, { conversationType: 'personal', tenant }), conversation });
        await say('when is my bin day');
        return (await say('/why')).join('\n');
    };

    it('does not believe a staff tenant id on an unauthenticated endpoint (no MicrosoftAppId)', async () => {
        // Anyone can post to /api/messages without an app id, naming any tenant.
        const reply = await askWhy(server.url, staffTenant, 'teams-why-forged');
        expect(reply).not.to.contain('Top candidates');
    });

    it('explains the last answer with /why where diagnostics are on (a test environment)', async () => {
        const testing = await startTestServer({ DIAGNOSTICS: 'true' });
        try {
            const report = await askWhy(testing.url, otherTenant, 'teams-why');
            expect(report).to.contain('Decision: answer');
            expect(report).to.match(/Top candidates: bin-collection-day \d\.\d{3}/);
            expect(report).to.contain('Answered from: services/');
            expect(report).to.contain('(bin-collection-day)');
        } finally {
            await testing.close();
        }
    });
});
