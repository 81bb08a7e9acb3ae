import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import type { CaseEvent } from '../../bot/liveChat/caseEvents';
import { localise } from '../../knowledge/localise';
import { actionTitles, rootDialogClient, sampleEngine, saturdayEvening, turn } from '../helpers/assistant';

const conversation = () => sampleEngine().knowledge.conversation;
const words = () => conversation().case;
const say = (text: Parameters<typeof localise>[0]) => localise(text);
const texts = (replies: { text?: string }[]) => replies.map((r) => r.text ?? '').join('\n');

/** Asks for a person and chooses to carry on in the chat, with a phone number as the fallback. */
async function waitInChat(client: ReturnType<typeof rootDialogClient>['client']) {
    await turn(client, 'can i speak to someone');
    const methods = await turn(client, 'Jo Bloggs');
    expect(actionTitles(methods.at(-1))).to.deep.equal([
        say(words().methods.chat),
        say(words().methods.phone),
        say(words().methods.email),
    ]);
    expect(texts(await turn(client, say(words().methods.chat)))).to.contain('within 10 minutes');
    expect(texts(await turn(client, say(words().methods.phone)))).to.contain(say(words().askPhone));
    await turn(client, '07700900123');
    const summary = texts(await turn(client, say(words().consentYes)));
    expect(summary).to.contain('In this chat (if no one can join, 07700 900123)');
    return turn(client, say(words().confirm));
}

/** Asks for a person and gives a phone number; returns every reply to the final "send it". */
async function captureByPhone(client: ReturnType<typeof rootDialogClient>['client']) {
    for (const text of ['can i speak to someone', 'Jo Bloggs', say(words().methods.phone), '07700900123']) {
        await turn(client, text);
    }
    await turn(client, say(words().consentYes));
    return (await turn(client, say(words().confirm))) as Partial<Activity>[];
}

describe('LiveChatDialog', () => {
    it('stores a chat case with its fallback, then says where the resident is in the queue', async () => {
        const { client, cases } = rootDialogClient();
        const replies = await waitInChat(client);
        const [stored] = await cases.queue();
        expect(stored?.details).to.deep.include({ contactMethod: 'chat', phone: '07700 900123' });
        expect(stored?.chat).to.equal('waiting');
        // The conversation reference an agent's messages need later.
        expect(stored?.conversation).to.include.keys('serviceUrl', 'conversation', 'bot', 'user', 'channelId');
        const queued = replies.at(-1);
        expect(queued?.text).to.contain('You are number 1 in the queue for Customer Services');
        expect(actionTitles(queued)).to.deep.equal([say(conversation().liveChat.endAction)]);
    });

    it('passes messages to the case and the agents, without answering them or taking them as commands', async () => {
        const { client, cases, caseEvents } = rootDialogClient();
        await waitInChat(client);
        const events: CaseEvent[] = [];
        caseEvents.subscribe((event) => events.push(event));
        for (const text of ['help', 'when is my bin collected', 'can i speak to someone']) {
            const replies = await turn(client, text);
            expect(replies, `no reply to "${text}"`).to.deep.equal([]);
        }
        const [stored] = await cases.queue();
        expect(stored?.transcript.slice(-3).map((t) => [t.from, t.text])).to.deep.equal([
            ['resident', 'help'],
            ['resident', 'when is my bin collected'],
            ['resident', 'can i speak to someone'],
        ]);
        expect(events.map((e) => e.type === 'line' && e.entry.text)).to.deep.equal([
            'help',
            'when is my bin collected',
            'can i speak to someone',
        ]);
    });

    it('gives emergency signposting first in a live chat, and the adviser still sees the message', async () => {
        const { client, cases, decisions } = rootDialogClient();
        await waitInChat(client);
        const replies = await turn(client, 'I want to kill myself');
        expect(texts(replies)).to.contain('999');
        // No offer of a person: one is already on the way.
        expect(replies.flatMap((r) => actionTitles(r))).to.deep.equal([]);
        expect(decisions.at(-1)).to.deep.include({ outcome: 'urgent' });
        const [stored] = await cases.queue();
        const [said, signposting] = stored?.transcript.slice(-2) ?? [];
        expect(said).to.deep.include({ from: 'resident', text: 'I want to kill myself' });
        // The adviser reads what the resident was told.
        expect(signposting?.from).to.equal('assistant');
        expect(signposting?.text).to.contain('999');
        expect(stored?.chat).to.equal('waiting');
        expect(stored?.priority).to.equal('urgent');
        expect(stored?.flags.safetyRule).to.be.a('string');
    });

    it('relays a message too long for the assistant, shortened, and still signposts and flags a safety risk', async () => {
        const { client, cases } = rootDialogClient({ maxMessageLength: 100 });
        await waitInChat(client);
        const long = `I want to kill myself. ${'I cannot cope any more. '.repeat(10)}`;
        const replies = texts(await turn(client, long));
        expect(replies).to.contain('999');
        expect(replies).to.contain('the adviser sees its first 100 characters');
        const [stored] = await cases.queue();
        const said = stored?.transcript.find((line) => line.from === 'resident' && line.text.startsWith('I want'));
        expect(said?.text).to.equal(`${long.slice(0, 100)}…`);
        expect(stored?.priority).to.equal('urgent');
    });

    it('after an agent ended the chat, a risk to life gets the full safety answer and nothing else', async () => {
        const { client, cases, decisions } = rootDialogClient();
        await waitInChat(client);
        const [stored] = await cases.queue();
        await cases.claim(stored?.reference ?? '', 'cs.one');
        await cases.closeCase(stored?.reference ?? '', 'cs.one', 'resolved');
        const replies = await turn(client, 'I want to kill myself');
        expect(texts(replies)).to.contain('999');
        expect(texts(replies)).not.to.contain(say(conversation().notKnown));
        // The offer of a person is back, since nobody is in the chat now.
        expect(replies.flatMap((r) => actionTitles(r))).to.have.length(1);
        expect(decisions.at(-1)).to.deep.include({ outcome: 'urgent' });
    });

    it('lets the resident leave the chat; the team then follows up by the fallback and the assistant answers again', async () => {
        const { client, cases } = rootDialogClient();
        await waitInChat(client);
        const left = texts(await turn(client, 'End chat'));
        expect(left).to.contain('You have left the chat');
        expect(left).to.contain('by phone');
        const [stored] = await cases.queue();
        expect(stored?.chat).to.equal('ended');
        expect(texts(await turn(client, 'when is my bin collected'))).to.contain('bin collection day');
    });

    it('steps aside once an agent has closed the chat, answering the next message as a new question', async () => {
        const { client, cases } = rootDialogClient();
        await waitInChat(client);
        const [stored] = await cases.queue();
        await cases.claim(stored?.reference ?? '', 'cs.one');
        await cases.closeCase(stored?.reference ?? '', 'cs.one', 'resolved');
        expect(texts(await turn(client, 'when is my bin collected'))).to.contain('bin collection day');
    });

    it('lets the resident change their mind from the chat to email before sending', async () => {
        const { client, cases } = rootDialogClient();
        await turn(client, 'can i speak to someone');
        await turn(client, 'Jo Bloggs');
        await turn(client, say(words().methods.chat));
        await turn(client, say(words().methods.phone));
        await turn(client, '07700900123');
        await turn(client, say(words().consentYes));
        await turn(client, say(words().change));
        expect(texts(await turn(client, say(words().labels.contact)))).to.contain('How would you like');
        await turn(client, say(words().methods.email));
        expect(texts(await turn(client, 'jo@example.com'))).to.contain('- Contact: jo@example.com');
        const replies = await turn(client, say(words().confirm));
        expect(texts(replies)).not.to.contain('in the queue');
        const [stored] = await cases.queue();
        expect(stored?.details).to.deep.equal({
            name: 'Jo Bloggs',
            contactMethod: 'email',
            email: 'jo@example.com',
            consent: true,
        });
        expect(stored).not.to.have.property('chat');
    });

    it('offers only phone and email out of live chat hours', async () => {
        const { client } = rootDialogClient({ now: saturdayEvening });
        await turn(client, 'can i speak to someone');
        const methods = await turn(client, 'Jo Bloggs');
        expect(actionTitles(methods.at(-1))).to.deep.equal([say(words().methods.phone), say(words().methods.email)]);
    });

    it('sends the Bot Framework handoff event on channels configured for it, with the summary and transcript', async () => {
        const { client, cases } = rootDialogClient({ handoffEventChannels: ['test'] });
        const replies = await captureByPhone(client);
        const event = replies.find((r) => r.type === 'event');
        const [stored] = await cases.queue();
        expect(event).to.deep.include({ name: 'handoff.initiate' });
        expect(event?.value).to.deep.include({
            reference: stored?.reference,
            team: 'customer-services',
            details: stored?.details,
        });
        expect(event?.value).not.to.have.property('transcript');
        const [attachment] = event?.attachments ?? [];
        expect(attachment).to.deep.include({ contentType: 'application/json', name: 'Transcript' });
        const activities = (attachment?.content as { activities: Partial<Activity>[] }).activities;
        expect(activities.map((a) => a.text)).to.deep.equal(stored?.transcript.map((t) => t.text));
    });

    it('sends no handoff event on other channels', async () => {
        const { client } = rootDialogClient();
        const replies = await captureByPhone(client);
        expect(replies.map((r) => r.type)).not.to.include('event');
    });
});
