import { expect } from 'chai';
import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Case } from '../../../bot/handoff/case';
import { CaseEvents, type CaseEvent } from '../../../bot/liveChat/caseEvents';
import { LiveChat, firstName } from '../../../bot/liveChat/liveChat';
import { chatCase, sampleCase } from '../stores/caseStore.contract';
import { capturedLogger } from '../../helpers/capturedLogger';
import { MemoryCaseStore } from '../../helpers/memoryCaseStore';
import { KnowledgeEngine } from '../../../knowledge/engine';
import { mondayMorning, sampleEngine, saturdayEvening } from '../../helpers/assistant';

/**
 * Live chat with a sender that records what each conversation was sent (and fails for the conversation id
 * `unreachable`), at a clock the test sets.
 */
function liveChatAt(at: Date, options: { unreachable?: string; knowledge?: () => KnowledgeEngine } = {}) {
    const clock = { now: at };
    const cases = new MemoryCaseStore({ now: () => clock.now });
    const events = new CaseEvents(capturedLogger().log);
    const published: CaseEvent[] = [];
    events.subscribe((event) => published.push(event));
    const sent: { conversation: string; text: string; textFormat?: string }[] = [];
    const liveChat = new LiveChat({
        cases,
        events,
        knowledge: { current: options.knowledge ?? sampleEngine },
        log: capturedLogger().log,
        now: () => clock.now,
        send: async (reference: Partial<ConversationReference>, send: (context: TurnContext) => Promise<void>) => {
            if (reference.conversation?.id === options.unreachable) throw new Error('conversation not found');
            const context = {
                sendActivity: async ({ text, textFormat }: { text: string; textFormat?: string }) => {
                    sent.push({ conversation: reference.conversation?.id ?? '', text, textFormat });
                },
            };
            await send(context as unknown as TurnContext);
        },
    });
    return { cases, liveChat, sent, published, clock };
}

describe('LiveChat (the agent side)', () => {
    it('uses only the first name of an agent', () => {
        expect(firstName('  Chris  One ')).to.equal('Chris');
        expect(firstName('Cher')).to.equal('Cher');
    });

    it('tells a waiting resident an agent joined, relays the agent as plain text under their first name and team, and records both', async () => {
        const { cases, liveChat, sent, published } = liveChatAt(mondayMorning);
        const created = await cases.create(chatCase(), 'ATB');
        const claimed = (await cases.claim(created.reference, 'cs.one')) as Case;
        await liveChat.joined(claimed, 'Chris One');
        await liveChat.agentSays(claimed, 'Hello **there**', 'Chris One');
        expect(sent).to.deep.equal([
            {
                conversation: 'conversation-1',
                text: 'Chris from Waste and Recycling has joined the chat.',
                textFormat: 'plain',
            },
            {
                conversation: 'conversation-1',
                text: 'Chris, Waste and Recycling adviser: Hello **there**',
                textFormat: 'plain',
            },
        ]);
        const stored = await cases.get(created.reference);
        expect(stored?.transcript.slice(-2).map((t) => [t.from, t.text])).to.deep.equal([
            ['assistant', 'Chris from Waste and Recycling has joined the chat.'],
            ['agent', 'Hello **there**'],
        ]);
        expect(published.map((e) => e.type)).to.deep.equal(['changed', 'line', 'line']);
    });

    it('masks a card number an agent types, in what the resident is sent and in the transcript', async () => {
        const { cases, liveChat, sent } = liveChatAt(mondayMorning);
        const created = await cases.create(chatCase(), 'ATB');
        const claimed = (await cases.claim(created.reference, 'cs.one')) as Case;
        const entry = await liveChat.agentSays(claimed, 'Is it 4111 1111 1111 1111 exp 12/27?', 'Chris One');
        expect(entry.text).to.equal('Is it [card ending 1111]?');
        expect(sent.at(-1)?.text).to.equal('Chris, Waste and Recycling adviser: Is it [card ending 1111]?');
        expect((await cases.get(created.reference))?.transcript.at(-1)?.text).to.equal('Is it [card ending 1111]?');
    });

    it('says nothing in the chat when an agent claims or closes a case without a live chat', async () => {
        const { cases, liveChat, sent } = liveChatAt(mondayMorning);
        const created = await cases.create(sampleCase(), 'ATB');
        const claimed = (await cases.claim(created.reference, 'cs.one')) as Case;
        await liveChat.joined(claimed, 'Chris One');
        const closed = (await cases.closeCase(created.reference, 'cs.one', 'resolved')) as Case;
        await liveChat.closed(claimed, closed, 'Chris One');
        expect(sent).to.deep.equal([]);
    });

    it('times out chats nobody claimed within the unclaimed minutes, telling the resident the fallback, once', async () => {
        const { cases, liveChat, sent, clock } = liveChatAt(mondayMorning);
        const waiting = await cases.create(chatCase(), 'ATB');
        const claimed = await cases.create(chatCase(), 'ATB');
        await cases.claim(claimed.reference, 'cs.one');
        clock.now = new Date(mondayMorning.getTime() + 9 * 60_000);
        expect(await liveChat.timeOutWaiting()).to.equal(0);
        clock.now = new Date(mondayMorning.getTime() + 10 * 60_000 + 1);
        expect(await liveChat.timeOutWaiting()).to.equal(1);
        expect(await liveChat.timeOutWaiting()).to.equal(0);
        expect((await cases.get(waiting.reference))?.chat).to.equal('timedOut');
        expect((await cases.get(claimed.reference))?.chat).to.equal('connected');
        expect(sent).to.have.length(1);
        expect(sent[0]?.text).to.equal(
            `Sorry, no adviser is free to join this chat just now. Waste and Recycling will contact you by phone instead. Your reference is ${waiting.reference}.`,
        );
    });

    it('times out every waiting chat at once when live chat has closed', async () => {
        const { cases, liveChat, clock } = liveChatAt(saturdayEvening);
        await cases.create(chatCase(), 'ATB');
        await cases.create(chatCase(), 'ATB');
        clock.now = new Date(saturdayEvening.getTime() + 60_000);
        expect(await liveChat.timeOutWaiting()).to.equal(2);
    });

    it('still times out and tells the other residents when one cannot be reached', async () => {
        const { cases, liveChat, sent, clock } = liveChatAt(saturdayEvening, { unreachable: 'gone' });
        const unreachable = await cases.create(
            { ...chatCase(), conversation: { conversation: { id: 'gone' } } },
            'ATB',
        );
        const reachable = await cases.create(chatCase(), 'ATB');
        clock.now = new Date(saturdayEvening.getTime() + 60_000);
        expect(await liveChat.timeOutWaiting()).to.equal(2);
        expect((await cases.get(unreachable.reference))?.chat).to.equal('timedOut');
        expect((await cases.get(reachable.reference))?.chat).to.equal('timedOut');
        expect(sent.map((m) => m.conversation)).to.deep.equal(['conversation-1']);
        expect(sent[0]?.text).to.contain(reachable.reference);
    });

    it('times out waiting chats when live chat was taken out of the knowledge', async () => {
        const withoutLiveChat = new KnowledgeEngine({
            ...sampleEngine().knowledge,
            council: { ...sampleEngine().knowledge.council, liveChat: undefined },
        });
        const { cases, liveChat, clock } = liveChatAt(mondayMorning, { knowledge: () => withoutLiveChat });
        await cases.create(chatCase(), 'ATB');
        clock.now = new Date(mondayMorning.getTime() + 60_000);
        expect(await liveChat.timeOutWaiting()).to.equal(1);
    });

    it('offers the resident the way out of the chat when an agent joins', async () => {
        const replies: { suggestedActions?: { actions: { title?: string }[] } }[] = [];
        const cases = new MemoryCaseStore();
        const liveChat = new LiveChat({
            cases,
            events: new CaseEvents(capturedLogger().log),
            knowledge: { current: sampleEngine },
            log: capturedLogger().log,
            send: async (_reference, send) =>
                send({
                    sendActivity: async (a: (typeof replies)[number]) => replies.push(a),
                } as unknown as TurnContext),
        });
        const created = await cases.create(chatCase(), 'ATB');
        await liveChat.joined((await cases.claim(created.reference, 'cs.one')) as Case, 'Chris One');
        expect(replies[0]?.suggestedActions?.actions.map((a) => a.title)).to.deep.equal(['End chat']);
    });
});
