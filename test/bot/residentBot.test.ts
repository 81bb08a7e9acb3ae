import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestAdapter, type Activity, type StoreItems } from 'botbuilder';
import { expect } from 'chai';
import { createAssistant } from '../../bot/assistant';
import { ConversationQueue } from '../../bot/conversationQueue';
import { CaseEvents } from '../../bot/liveChat/caseEvents';
import { SqliteStorage } from '../../bot/stores/sqliteStorage';
import type { ConversationFacts } from '../../dialogs/conversationFacts';
import { mondayMorning, sampleEngine } from '../helpers/assistant';
import { capturedLogger } from '../helpers/capturedLogger';
import { MemoryCaseStore } from '../helpers/memoryCaseStore';
import { phoneCaseSteps } from '../helpers/caseSteps';

/** State storage where, once armed, another instance saves the conversation between this turn's read and write. */
class RacedStorage extends SqliteStorage {
    races = 0;

    override async write(changes: StoreItems): Promise<void> {
        const key = Object.keys(changes).find((k) => k.includes('/conversations/'));
        if (this.races > 0 && key) {
            this.races -= 1;
            const current = (await this.read([key]))[key] as { facts?: ConversationFacts; eTag: string };
            const line = {
                at: mondayMorning.toISOString(),
                from: 'resident' as const,
                text: 'said on another instance',
            };
            const facts = { ...current.facts, transcript: [...(current.facts?.transcript ?? []), line] };
            await super.write({ [key]: { ...current, facts } });
        }
        await super.write(changes);
    }
}

function assistant(storage: SqliteStorage, cases = new MemoryCaseStore()) {
    const { log, lines } = capturedLogger();
    const { bot } = createAssistant({
        storage,
        knowledge: { current: sampleEngine },
        observer: { decided: () => undefined },
        cases,
        caseEvents: new CaseEvents(log),
        log,
        maxMessageLength: 1000,
        now: () => mondayMorning,
    });
    const adapter = new TestAdapter((context) => bot.run(context));
    return { adapter, lines, cases };
}

const texts = (adapter: TestAdapter) => adapter.activeQueue.splice(0).map((a: Partial<Activity>) => a.text ?? '');

describe('ResidentBot turns under concurrency', () => {
    it('runs a turn again when another instance saved the conversation first: no update lost, replies sent once', async () => {
        const storage = new RacedStorage(':memory:');
        const { adapter, lines } = assistant(storage);
        await adapter.receiveActivity('hello');
        texts(adapter);
        storage.races = 2;
        await adapter.receiveActivity('when is my bin collected');
        const replies = texts(adapter);
        // Only the attempt that counted reached the resident.
        expect(replies.filter((t) => t.includes('Find your bin collection day'))).to.have.length(1);
        expect(lines.filter((l) => l.includes('"message":"turn.retried"'))).to.have.length(2);

        const saved = Object.values(await storage.read(['test/conversations/Convo1/']))[0] as {
            facts: ConversationFacts;
        };
        const transcript = saved.facts.transcript?.map((l) => l.text) ?? [];
        // The other instance's line and this turn's exchange are both kept, in order, once each.
        expect(transcript.filter((t) => t === 'said on another instance')).to.have.length(2);
        expect(transcript.filter((t) => t === 'when is my bin collected')).to.have.length(1);
        expect(transcript.at(-1)).to.match(/Did this answer your question\?|bin collection day/);
        await storage.close();
    });

    it('gives up after five lost races: the turn fails (for the error handler), with what its last attempt said', async () => {
        const storage = new RacedStorage(':memory:');
        const { adapter, lines } = assistant(storage);
        await adapter.receiveActivity('hello');
        texts(adapter);
        storage.races = 100;
        let failure: unknown;
        try {
            await adapter.receiveActivity('when is my bin collected');
        } catch (error) {
            failure = error;
        }
        expect(String(failure)).to.match(/changed by another turn/);
        expect(lines.filter((l) => l.includes('"message":"turn.retried"'))).to.have.length(4);
        expect(texts(adapter).filter((t) => t.includes('Find your bin collection day'))).to.have.length(1);
        await storage.close();
    });
});

describe('cases made by turns that race', () => {
    const toConfirmation = phoneCaseSteps.slice(0, -1);

    it('makes one case when the turn that made it is run again after losing a race', async () => {
        const storage = new RacedStorage(':memory:');
        const { adapter, cases } = assistant(storage);
        for (const text of toConfirmation) await adapter.receiveActivity(text);
        texts(adapter);
        storage.races = 1;
        await adapter.receiveActivity('Yes, send it');
        const references = texts(adapter).flatMap((t) => /ATB-[0-9A-Z]{5}/.exec(t) ?? []);
        expect(await cases.queue()).to.have.length(1);
        expect(new Set(references)).to.have.length(1);
        await storage.close();
    });

    it('makes one case when a double-click sends "Yes, send it" to two instances at once', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racing-turns-'));
        const file = path.join(dir, 'state.sqlite');
        const cases = new MemoryCaseStore();
        const [one, two] = [assistant(new SqliteStorage(file), cases), assistant(new SqliteStorage(file), cases)];
        for (const text of toConfirmation) await one.adapter.receiveActivity(text);
        await Promise.all([one.adapter.receiveActivity('Yes, send it'), two.adapter.receiveActivity('Yes, send it')]);
        const references = [...texts(one.adapter), ...texts(two.adapter)].flatMap(
            (t) => /ATB-[0-9A-Z]{5}/.exec(t) ?? [],
        );
        expect(await cases.queue()).to.have.length(1);
        expect(new Set(references)).to.have.length(1);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe('ConversationQueue', () => {
    it("runs one key's work in arrival order, never overlapping, and other keys alongside", async () => {
        const queue = new ConversationQueue();
        const events: string[] = [];
        const work = (name: string, ms: number) => async () => {
            events.push(`${name} start`);
            await new Promise((resolve) => setTimeout(resolve, ms));
            events.push(`${name} end`);
            return name;
        };
        const results = await Promise.all([
            queue.run('a', work('a1', 20)),
            queue.run('a', work('a2', 1)),
            queue.run('b', work('b1', 1)),
        ]);
        expect(results).to.deep.equal(['a1', 'a2', 'b1']);
        expect(events.indexOf('a1 end')).to.be.lessThan(events.indexOf('a2 start'));
        expect(events.indexOf('b1 end')).to.be.lessThan(events.indexOf('a1 end'));
        expect(queue.size).to.equal(0);
    });

    it('carries on with the next work after one fails', async () => {
        const queue = new ConversationQueue();
        const failed = queue.run('a', async () => {
            throw new Error('boom');
        });
        const next = queue.run('a', async () => 'ran');
        expect(await failed.catch((e: Error) => e.message)).to.equal('boom');
        expect(await next).to.equal('ran');
    });
});
