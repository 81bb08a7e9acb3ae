import path from 'node:path';
import { expect } from 'chai';
import { SqliteInsightStore } from '../../../bot/insight/sqliteInsightStore';
import { createCaseThroughBot } from '../../helpers/agentClient';
import { messageActivity, startTestServer } from '../../helpers/server';

async function say(url: string, conversationId: string, text: string): Promise<void> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(text, conversationId)),
    });
    expect(response.status).to.equal(200);
}

describe('insight events in the running service', function () {
    this.timeout(30_000);

    it('records turns, feedback and cases as residents talk to the bot, without their words', async () => {
        const server = await startTestServer();
        try {
            await say(server.url, 'insight-1', 'when is my bin day');
            await say(server.url, 'insight-1', 'No');
            await say(server.url, 'insight-2', 'zzqx flibble wobble');
            await createCaseThroughBot(server.url, 'insight-3', 'Jo Bloggs');
            const store = new SqliteInsightStore(path.join(server.dataDir, 'assistant.sqlite'));
            const events = await store.between(new Date(0), new Date(Date.now() + 60_000));
            await store.close();
            expect(events.map((e) => [e.kind, e.outcome ?? e.helpful ?? e.serviceId ?? ''])).to.deep.include.members([
                ['turn', 'answer'],
                ['feedback', false],
                ['turn', 'not-known'],
                ['turn', 'handoff'],
                ['case', ''],
            ]);
            const stored = JSON.stringify(events);
            expect(stored).not.to.contain('Jo Bloggs');
            expect(stored).not.to.contain('07700');
            expect(stored).not.to.contain('insight-1');
            expect(events.find((e) => e.outcome === 'not-known')?.text).to.equal('zzqx flibble wobble');
        } finally {
            await server.close();
        }
    });
});
