import { expect } from 'chai';
import { localise } from '../../knowledge/localise';
import {
    actionTitles,
    mondayMorning,
    rootDialogClient,
    sampleEngine,
    saturdayEvening,
    turn,
} from '../helpers/assistant';
import { scriptedClient, scriptedEngine, type Script } from './scriptedAssistant';

const knowledge = () => sampleEngine().knowledge;
const title = (id: string) => localise(sampleEngine().service(id)?.title ?? '');
const teamName = (id: string) => knowledge().council.teams.find((t) => t.id === id)?.name as string;
const safetyMessage = (id: string) => localise(knowledge().safetyRules.find((r) => r.id === id)?.message ?? '').trim();

describe('RootDialog', () => {
    describe('answers, clarifies or says it does not know', () => {
        const table = [
            { text: 'my bin wasnt emptied today', outcome: 'answer', service: 'missed-bin' },
            { text: 'how do i pay my council tax', outcome: 'answer', service: 'council-tax-pay' },
            { text: 'there is a massive pothole on my road', outcome: 'answer', service: 'pothole' },
            { text: 'what is the weather like in spain', outcome: 'not-known' },
        ];
        for (const row of table) {
            it(`decides ${row.outcome} for "${row.text}"`, async () => {
                const { client, decisions } = rootDialogClient();
                const [reply] = await turn(client, row.text);
                expect(decisions[0]?.outcome).to.equal(row.outcome);
                if (row.service) {
                    expect(decisions[0]?.services).to.deep.equal([row.service]);
                    expect(reply.text).to.contain(title(row.service));
                }
            });
        }
    });

    it('answers with links, contact details, then asks for feedback with related next steps', async () => {
        const { client } = rootDialogClient();
        const [answer, feedback] = await turn(client, 'my bin wasnt emptied today');
        const service = sampleEngine().service('missed-bin');
        expect(answer.text).to.contain(`](${service?.links[0]?.url})`);
        expect(answer.text).to.contain(service?.contact?.phone);
        expect(feedback.text).to.contain(localise(knowledge().conversation.feedback.question));
        const titles = actionTitles(feedback);
        expect(titles.slice(0, 2)).to.deep.equal(['Yes', 'No']);
        for (const related of service?.related ?? []) expect(titles).to.include(title(related));
    });

    describe('greetings, thanks and asking for help, on their own', () => {
        const greetingText = () =>
            localise(knowledge().conversation.greeting).replace('{council}', knowledge().council.name);
        const topTasks = () => knowledge().council.topTasks.map(title);

        for (const text of ['hello', 'Hi', 'good morning', 'hiya there', 'Hello?']) {
            it(`answers "${text}" with what the assistant can do and the top tasks, not a service`, async () => {
                const { client, decisions } = rootDialogClient();
                const [reply] = await turn(client, text);
                expect(reply.text).to.equal(greetingText());
                expect(actionTitles(reply)).to.deep.equal(topTasks());
                expect(decisions).to.deep.equal([]);
            });
        }

        for (const text of ['thanks', 'thank you very much', 'cheers', 'ok thanks', 'Thanks!']) {
            it(`closes politely on "${text}"`, async () => {
                const { client } = rootDialogClient();
                const [reply] = await turn(client, text);
                expect(reply.text).to.equal(localise(knowledge().conversation.thanks));
            });
        }

        it('closes politely on thanks after an answer, instead of asking again whether it helped', async () => {
            const { client } = rootDialogClient();
            await turn(client, 'my bin wasnt emptied today');
            const [reply] = await turn(client, 'thank you');
            expect(reply.text).to.equal(localise(knowledge().conversation.thanks));
        });

        it('answers the question when a greeting comes with one', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'hi, my bin wasnt emptied today');
            expect(decisions[0]?.services).to.deep.equal(['missed-bin']);
        });

        it('says how to use it on "I need help"', async () => {
            const { client } = rootDialogClient();
            const [reply] = await turn(client, 'I need help');
            expect(reply.text).to.equal(localise(knowledge().conversation.help).trim());
        });
    });

    it('thanks the resident when the answer helped', async () => {
        const { client } = rootDialogClient();
        await turn(client, 'my bin wasnt emptied today');
        const [reply] = await turn(client, 'Yes');
        expect(reply.text).to.equal(localise(knowledge().conversation.feedback.thanks));
    });

    it('offers a person when the answer did not help', async () => {
        const { client } = rootDialogClient();
        await turn(client, 'my bin wasnt emptied today');
        const [reply] = await turn(client, 'No');
        expect(reply.text).to.equal(localise(knowledge().conversation.feedback.sorry));
        expect(actionTitles(reply)).to.deep.equal([localise(knowledge().conversation.person.action)]);
        const [person] = await turn(client, localise(knowledge().conversation.person.action));
        expect(person.text).to.contain(teamName('waste'));
    });

    it('treats a new question at the feedback step as a new question', async () => {
        const { client, decisions } = rootDialogClient();
        await turn(client, 'my bin wasnt emptied today');
        await turn(client, 'how do i pay my council tax');
        expect(decisions.map((d) => d.services[0])).to.deep.equal(['missed-bin', 'council-tax-pay']);
    });

    it('answers a related service chosen from the feedback buttons', async () => {
        const { client, decisions } = rootDialogClient();
        await turn(client, 'my bin wasnt emptied today');
        const related = sampleEngine().service('missed-bin')?.related[0] as string;
        await turn(client, title(related));
        expect(decisions[1]).to.include({ outcome: 'answer', score: 1 });
        expect(decisions[1]?.services).to.deep.equal([related]);
    });

    describe('clarifying', () => {
        it('offers the close services and "Something else", then answers the one chosen', async () => {
            const { client, decisions } = rootDialogClient();
            const [reply] = await turn(client, 'bins');
            expect(decisions[0]?.outcome).to.equal('clarify');
            const offered = decisions[0]?.services ?? [];
            expect(offered.length).to.be.within(1, 3);
            expect(actionTitles(reply)).to.deep.equal([
                ...offered.map(title),
                localise(knowledge().conversation.somethingElse),
            ]);
            const [answer] = await turn(client, title(offered[1] ?? (offered[0] as string)));
            expect(answer.text).to.contain(title(offered[1] ?? (offered[0] as string)));
            expect(decisions[1]).to.include({ outcome: 'answer', reason: 'clarified' });
        });

        it('accepts the number of a choice', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'bins');
            await turn(client, '1');
            expect(decisions[1]?.services).to.deep.equal([decisions[0]?.services[0]]);
        });

        it('asks to rephrase after "Something else"', async () => {
            const { client } = rootDialogClient();
            await turn(client, 'bins');
            const [reply] = await turn(client, localise(knowledge().conversation.somethingElse));
            expect(reply.text).to.equal(localise(knowledge().conversation.rephrase));
        });
    });

    describe('follow-ups keep their subject', () => {
        const followUp = { outcome: 'answer', reason: 'follow-up' };

        it('answers "how much is it" after the garden waste answer with garden waste', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'how do i sign up for garden waste');
            const [reply] = await turn(client, 'how much is it');
            expect(decisions[1]).to.deep.include({ ...followUp, services: ['garden-waste'] });
            expect(reply.text).to.contain(title('garden-waste'));
        });

        it('answers "and the green bin?" after the bin day answer with garden waste, a related service', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'when is my bin day');
            expect(decisions[0]?.services).to.deep.equal(['bin-collection-day']);
            await turn(client, 'and the green bin?');
            expect(sampleEngine().service('bin-collection-day')?.related).to.include('garden-waste');
            expect(decisions[1]).to.deep.include({ ...followUp, services: ['garden-waste'] });
        });

        const table = [
            { first: 'when is my bin day', then: 'what about on a bank holiday', service: 'bin-collection-day' },
            { first: 'where is the tip', then: 'what are your opening hours', service: 'recycling-centre' },
            { first: 'resident parking permit', then: 'can I do it online', service: 'parking-permit' },
            { first: 'report a missed bin', then: 'how long does it take', service: 'missed-bin' },
            { first: 'freedom of information request', then: 'where do I send it', service: 'foi-request' },
        ];
        for (const row of table) {
            it(`answers "${row.then}" after "${row.first}" about ${row.service}`, async () => {
                const { client, decisions } = rootDialogClient();
                await turn(client, row.first);
                expect(decisions[0]?.services).to.deep.equal([row.service]);
                await turn(client, row.then);
                expect(decisions[1]).to.deep.include({ ...followUp, services: [row.service] });
            });
        }

        it('routes a new clear question on its own, which then becomes the subject', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'how do i sign up for garden waste');
            await turn(client, 'how do i pay council tax');
            expect(decisions[1]?.services).to.deep.equal(['council-tax-pay']);
            expect(decisions[1]?.reason).to.equal(undefined);
            await turn(client, 'how much is it');
            expect(decisions[2]).to.deep.include({ ...followUp, services: ['council-tax-pay'] });
        });

        it('forgets the subject ten minutes after the answer', async () => {
            const now = new Date(mondayMorning);
            const { client, decisions } = rootDialogClient({ now });
            await turn(client, 'how do i sign up for garden waste');
            now.setTime(now.getTime() + 9 * 60_000);
            await turn(client, 'how much is it');
            expect(decisions[1]).to.deep.include({ ...followUp, services: ['garden-waste'] });
            now.setTime(now.getTime() + 11 * 60_000);
            await turn(client, 'how much is it');
            expect(decisions[2]?.reason).to.not.equal('follow-up');
            expect(decisions[2]?.services).to.not.deep.equal(['garden-waste']);
        });

        it('forgets the subject after three more messages', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'how do i sign up for garden waste');
            for (const text of ['hello', 'thanks']) await turn(client, text);
            await turn(client, 'how much is it');
            expect(decisions[1]).to.deep.include({ ...followUp, services: ['garden-waste'] });
            for (const text of ['hello', 'thanks', 'good morning']) await turn(client, text);
            await turn(client, 'how much is it');
            expect(decisions[2]?.reason).to.not.equal('follow-up');
            expect(decisions[2]?.services).to.not.deep.equal(['garden-waste']);
        });

        it('forgets the subject on "start again"', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'how do i sign up for garden waste');
            await turn(client, 'how much is it');
            expect(decisions[1]).to.deep.include(followUp);
            await turn(client, 'start again');
            await turn(client, 'how much is it');
            expect(decisions[2]?.reason).to.not.equal('follow-up');
        });

        it('forgets the subject after a message that signals risk: what follows is about that, not the service', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'how do i report a pothole');
            await turn(client, 'my husband hits me and i am scared');
            expect(decisions[1]?.outcome).to.equal('urgent');
            await turn(client, 'what can i do about it');
            expect(decisions[2]?.reason).to.not.equal('follow-up');
            expect(decisions[2]?.services ?? []).to.not.include('pothole');
        });
    });

    describe('a "Did you mean" with one service', () => {
        const question = () =>
            localise(knowledge().conversation.clarifyOne.question).replace('{service}', title('pothole'));
        const one = () =>
            scriptedClient(scriptedEngine({ 'road defect': { outcome: 'clarify', candidates: [['pothole', 0.42]] } }));

        it('asks "Do you mean …?" with Yes and No', async () => {
            const { client, decisions } = one();
            const [reply] = await turn(client, 'road defect');
            expect(reply.text).to.equal(question());
            expect(actionTitles(reply)).to.deep.equal(['Yes', 'No']);
            expect(decisions[0]).to.deep.include({ outcome: 'clarify', services: ['pothole'] });
        });

        for (const yes of ['Yes', 'yeah']) {
            it(`answers the service on "${yes}"`, async () => {
                const { client, decisions } = one();
                await turn(client, 'road defect');
                const [answer] = await turn(client, yes);
                expect(answer.text).to.contain(title('pothole'));
                expect(decisions[1]).to.deep.include({ outcome: 'answer', services: ['pothole'], reason: 'clarified' });
            });
        }

        for (const no of ['No', 'nope']) {
            it(`says it does not know and offers a person on "${no}"`, async () => {
                const { client, decisions } = one();
                await turn(client, 'road defect');
                const [reply] = await turn(client, no);
                expect(reply.text).to.equal(localise(knowledge().conversation.notKnown));
                expect(actionTitles(reply)).to.deep.equal([localise(knowledge().conversation.person.action)]);
                expect(decisions).to.have.length(1);
            });
        }

        it('offers a person straight away when it did not know the message before either', async () => {
            const { client, decisions } = one();
            await turn(client, 'what is the weather like in spain');
            await turn(client, 'road defect');
            const [reply, contact] = await turn(client, 'No');
            expect(reply.text).to.equal(localise(knowledge().conversation.notKnownAgain));
            expect(contact.text).to.contain(teamName(knowledge().council.defaultTeam));
            expect(decisions.at(-1)).to.deep.include({ outcome: 'handoff', reason: 'not-known-again' });
        });
    });

    describe('after a long message it does not know', () => {
        const story =
            'we have lived here for years and the neighbours across the road keep leaving their old furniture ' +
            'broken fridges and black sacks by the lamp post which attracts foxes every single night';
        const script = {
            [story]: {
                outcome: 'not-known',
                candidates: [
                    ['fly-tipping', 0.33],
                    ['bulky-waste', 0.3],
                    ['pest-control', 0.27],
                    ['street-lighting', 0.26],
                    ['graffiti', 0.2],
                ],
            },
            'fridge gone': { outcome: 'not-known', candidates: [['bulky-waste', 0.3]] },
        } satisfies Script;
        const offered = ['fly-tipping', 'bulky-waste', 'pest-control'];

        it('offers the closest services, at most three, and "None of these", after a long message only', async () => {
            const short = scriptedClient(scriptedEngine(script));
            const [plain] = await turn(short.client, 'fridge gone');
            expect(plain.text).to.equal(localise(knowledge().conversation.notKnown));
            expect(short.decisions[0]).to.deep.include({ outcome: 'not-known', services: [] });

            const { client, decisions } = scriptedClient(scriptedEngine(script));
            const [reply] = await turn(client, story);
            expect(reply.text).to.contain(localise(knowledge().conversation.notKnownChoices.question));
            expect(actionTitles(reply)).to.deep.equal([
                ...offered.map(title),
                localise(knowledge().conversation.notKnownChoices.none),
            ]);
            expect(decisions[0]).to.deep.include({
                outcome: 'not-known',
                services: offered,
                reason: 'closest-offered',
            });
        });

        for (const by of ['its button', 'its number'] as const) {
            it(`answers the service chosen by ${by}`, async () => {
                const { client, decisions } = scriptedClient(scriptedEngine(script));
                await turn(client, story);
                const [answer] = await turn(client, by === 'its number' ? '2' : title('bulky-waste'));
                expect(answer.text).to.contain(title('bulky-waste'));
                expect(decisions[1]).to.deep.include({
                    outcome: 'answer',
                    services: ['bulky-waste'],
                    reason: 'clarified',
                });
            });
        }

        for (const none of ['None of these', 'neither']) {
            it(`goes on as not knowing does on "${none}"`, async () => {
                const { client, decisions } = scriptedClient(scriptedEngine(script));
                await turn(client, story);
                const [reply] = await turn(client, none);
                expect(reply.text).to.equal(localise(knowledge().conversation.notKnown));
                expect(actionTitles(reply)).to.deep.equal([localise(knowledge().conversation.person.action)]);
                expect(decisions).to.have.length(1);
            });
        }
    });

    describe('not knowing', () => {
        it('asks to rephrase the first time and offers a person the second time', async () => {
            const { client, decisions } = rootDialogClient();
            const [first] = await turn(client, 'what is the weather like in spain');
            expect(first.text).to.equal(localise(knowledge().conversation.notKnown));
            expect(actionTitles(first)).to.deep.equal([localise(knowledge().conversation.person.action)]);
            const [second, contact] = await turn(client, 'who won the football last night');
            expect(second.text).to.equal(localise(knowledge().conversation.notKnownAgain));
            expect(contact.text).to.contain(teamName(knowledge().council.defaultTeam));
            expect(decisions.map((d) => d.outcome)).to.deep.equal(['not-known', 'handoff']);
            expect(decisions[1]?.reason).to.equal('not-known-again');
        });
    });

    describe('safety comes first, whatever dialog is active', () => {
        const table = [
            { before: [], text: 'i want to kill myself', rule: 'suicide-self-harm' },
            { before: ['bins'], text: 'my partner hits me and i am scared', rule: 'domestic-abuse' },
            { before: ['my bin wasnt emptied today'], text: 'i can smell gas in the kitchen', rule: 'gas-leak' },
            {
                before: ['bins', 'what is the weather'],
                text: 'i have nowhere to sleep tonight',
                rule: 'homeless-tonight',
            },
        ];
        for (const row of table) {
            it(`signposts ${row.rule} first after ${row.before.length} earlier message(s)`, async () => {
                const { client, decisions } = rootDialogClient();
                for (const text of row.before) await turn(client, text);
                const [reply, offer] = await turn(client, row.text);
                expect(reply.text).to.equal(safetyMessage(row.rule));
                expect(actionTitles(offer)).to.deep.equal([localise(knowledge().conversation.person.action)]);
                expect(decisions.at(-1)).to.deep.include({ outcome: 'urgent', reason: `safety:${row.rule}` });
            });
        }

        it('ends the active dialog, so the next message is routed afresh', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'bins');
            await turn(client, 'i want to kill myself');
            await turn(client, '1');
            expect(decisions.at(-1)?.outcome).to.not.equal('answer');
        });
    });

    describe('interruptions', () => {
        it('recognises a request for a person anywhere and hands over to the team of the last service', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'my bin wasnt emptied today');
            const [reply] = await turn(client, 'can i speak to a real person please');
            expect(reply.text).to.contain(teamName('waste'));
            expect(decisions.at(-1)).to.deep.include({ outcome: 'handoff', reason: 'asked', services: ['missed-bin'] });
        });

        it('gives out-of-hours emergency numbers when the council is closed', async () => {
            const { client } = rootDialogClient({ now: saturdayEvening });
            const [reply] = await turn(client, 'talk to a person');
            for (const e of knowledge().council.emergencyNumbers) expect(reply.text).to.contain(e.phone);
            expect(reply.text).to.contain('Monday');
        });

        it('shows help and then asks the pending question again', async () => {
            const { client } = rootDialogClient();
            await turn(client, 'bins');
            const [help, again] = await turn(client, 'help');
            expect(help.text).to.equal(localise(knowledge().conversation.help).trim());
            expect(again.text).to.contain(localise(knowledge().conversation.clarify));
        });

        it('cancels the active question', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'bins');
            const [reply] = await turn(client, 'cancel');
            expect(reply.text).to.equal(localise(knowledge().conversation.cancelled));
            await turn(client, '1');
            expect(decisions).to.have.length(2);
            expect(decisions[1]?.outcome).to.equal('not-known');
        });

        it('starts again and forgets the last service', async () => {
            const { client, decisions } = rootDialogClient();
            await turn(client, 'my bin wasnt emptied today');
            const [reply] = await turn(client, 'start again');
            expect(reply.text).to.equal(localise(knowledge().conversation.startAgain));
            await turn(client, 'talk to a person');
            expect(decisions.at(-1)?.services).to.deep.equal([]);
        });
    });

    describe('services that always need a person', () => {
        it('answers and then starts a case for its team instead of the feedback question', async () => {
            const { client, decisions } = rootDialogClient();
            const service = knowledge().services.find((s) => s.handoff?.always);
            expect(service, 'the sample has such a service').to.not.equal(undefined);
            const [, contact] = await turn(client, title(service?.id as string));
            expect(contact.text).to.contain(teamName(service?.handoff?.team as string));
            expect(decisions).to.have.length(1);
        });
    });

    describe('input it cannot use', () => {
        it('asks for a shorter message above the limit', async () => {
            const { client, decisions } = rootDialogClient({ maxMessageLength: 50 });
            const [reply] = await turn(client, 'bin '.repeat(30));
            expect(reply.text).to.contain('50');
            expect(decisions).to.have.length(0);
        });

        it('says it cannot read attachments', async () => {
            const { client } = rootDialogClient();
            const [reply] = await turn(client, {
                type: 'message',
                attachments: [{ contentType: 'image/png', contentUrl: 'https://example.org/a.png' }],
            });
            expect(reply.text).to.equal(localise(knowledge().conversation.attachment));
        });

        it('asks for a few words when a message holds only spaces, without routing it', async () => {
            const { client, decisions } = rootDialogClient();
            const [reply] = await turn(client, ' \u00a0\t ');
            expect(reply.text).to.equal(localise(knowledge().conversation.rephrase));
            expect(decisions).to.have.length(0);
        });

        it('checks safety even in a message that is too long', async () => {
            const { client, decisions } = rootDialogClient({ maxMessageLength: 50 });
            await turn(client, `${'please help me '.repeat(10)} i want to end my life`);
            expect(decisions[0]?.outcome).to.equal('urgent');
        });
    });
});
