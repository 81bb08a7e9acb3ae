import { expect } from 'chai';
import { localise } from '../../knowledge/localise';
import { actionTitles, rootDialogClient, sampleEngine, saturdayEvening, turn } from '../helpers/assistant';

const knowledge = () => sampleEngine().knowledge;
const words = () => knowledge().conversation.case;
const say = (text: Parameters<typeof localise>[0]) => localise(text);
const teamName = (id: string) => knowledge().council.teams.find((t) => t.id === id)?.name as string;

/** Walks a conversation: each row is what the resident types and a text the first reply must contain. */
async function walk(client: ReturnType<typeof rootDialogClient>['client'], rows: [string, string][]) {
    const replies = [];
    for (const [text, expected] of rows) {
        const all = await turn(client, text);
        replies.push(all);
        expect(all.map((r) => r.text ?? '').join('\n'), `after "${text}"`).to.contain(expected);
    }
    return replies;
}

describe('CaseDialog', () => {
    it('captures name, phone and consent, shows the summary and gives a reference once stored', async () => {
        const { client, cases } = rootDialogClient();
        const replies = await walk(client, [
            ['can i speak to someone', say(words().askName)],
            ['Jo Bloggs', 'How would you like'],
            [say(words().methods.phone), say(words().askPhone)],
            ['12345', say(words().invalidPhone)],
            ['07700900123', 'Can we share these details'],
            [say(words().consentYes), 'Jo Bloggs'],
            [say(words().confirm), 'Your reference is'],
        ]);
        const [stored] = await cases.queue();
        expect(stored).to.deep.include({ team: knowledge().council.defaultTeam, priority: 'normal', status: 'queued' });
        expect(stored?.details).to.deep.equal({
            name: 'Jo Bloggs',
            contactMethod: 'phone',
            phone: '07700 900123',
            consent: true,
        });
        expect(replies.at(-1)?.[0]?.text).to.contain(stored?.reference);
        expect(stored?.reference).to.match(/^ATB-/);
        expect(stored?.transcript.map((t) => t.text)).to.include('can i speak to someone');
    });

    it('pre-fills the service, its team and the resident words, and asks for an address when the service needs one', async () => {
        const { client, cases } = rootDialogClient();
        const service = knowledge().services.find((s) => s.handoff?.needsAddress && !s.handoff.always);
        expect(service, 'the sample has such a service').to.not.equal(undefined);
        const question = localise(service?.title ?? '');
        await turn(client, question);
        await walk(client, [
            [say(knowledge().conversation.feedback.no), say(knowledge().conversation.feedback.sorry)],
            [say(knowledge().conversation.person.action), teamName(service?.handoff?.team as string)],
            ['Sam', 'How would you like'],
            [say(words().methods.email), say(words().askEmail)],
            ['not an email', say(words().invalidEmail)],
            ['Sam@Example.org', say(words().askAddress)],
            ['12 High Street, AN1 1AA', 'Can we share'],
            [say(words().consentYes), '12 High Street'],
            [say(words().confirm), 'Your reference is'],
        ]);
        const [stored] = await cases.queue();
        expect(stored).to.deep.include({
            serviceId: service?.id,
            team: service?.handoff?.team,
            residentWords: question,
        });
        expect(stored?.details).to.deep.include({ email: 'sam@example.org', address: '12 High Street, AN1 1AA' });
        expect(stored?.assistantAnswer).to.equal(localise(service?.answer ?? ''));
    });

    it('lets the resident change a detail before sending, keeping the rest', async () => {
        const { client, cases } = rootDialogClient();
        await walk(client, [
            ['talk to a person', say(words().askName)],
            ['Jo', 'How would you like'],
            [say(words().methods.phone), say(words().askPhone)],
            ['01632 960123', 'Can we share'],
            [say(words().consentYes), say(words().confirmQuestion)],
            [say(words().change), say(words().whichChange)],
            [say(words().labels.name), say(words().askName)],
            ['Joanna Smith', 'Joanna Smith'],
        ]);
        const [last] = await turn(client, say(words().confirm));
        expect(last?.text).to.contain('Your reference is');
        const [stored] = await cases.queue();
        expect(stored?.details).to.deep.include({ name: 'Joanna Smith', phone: '01632 960123' });
    });

    it('shows what the resident typed as text, never as a link or markup', async () => {
        const { client } = rootDialogClient();
        const replies = await walk(client, [
            ['talk to a person', say(words().askName)],
            ['[Jo](https://evil.example) <script>x</script>', 'How would you like'],
            [say(words().methods.phone), say(words().askPhone)],
            ['07700 900123', 'Can we share'],
            [say(words().consentYes), say(words().confirmQuestion)],
        ]);
        const summary = replies.at(-1)?.[0]?.text ?? '';
        expect(summary).to.contain('\\[Jo\\]\\(https://evil.example\\)');
        expect(summary).to.contain('\\<script\\>');
    });

    it('stops at any step on "cancel" and stores nothing', async () => {
        const { client, cases } = rootDialogClient();
        await walk(client, [
            ['real person please', say(words().askName)],
            ['Jo', 'How would you like'],
            ['cancel', say(knowledge().conversation.cancelled)],
        ]);
        expect(await cases.queue()).to.have.length(0);
    });

    it('passes nothing on without consent, and says how to get in touch instead', async () => {
        const { client, cases } = rootDialogClient();
        await walk(client, [
            ['speak to someone', say(words().askName)],
            ['Jo', 'How would you like'],
            [say(words().methods.phone), say(words().askPhone)],
            ['07700 900123', 'Can we share'],
            [say(words().consentNo), knowledge().council.phone],
        ]);
        expect(await cases.queue()).to.have.length(0);
    });

    it('never gives a reference when the case cannot be stored, and logs the failure', async () => {
        const { client, cases, logLines } = rootDialogClient();
        await walk(client, [
            ['speak to someone', say(words().askName)],
            ['Jo', 'How would you like'],
            [say(words().methods.phone), say(words().askPhone)],
            ['07700 900123', 'Can we share'],
            [say(words().consentYes), say(words().confirmQuestion)],
        ]);
        cases.failing = true;
        const replies = await turn(client, say(words().confirm));
        const text = replies.map((r) => r.text).join('\n');
        expect(text).to.not.contain('reference');
        expect(text).to.contain(knowledge().council.phone);
        expect(logLines.join('\n')).to.contain('case.store_failed');
        expect(logLines.join('\n')).to.not.contain('07700 900123');
    });

    it('makes the case urgent after a safety rule fired', async () => {
        const { client, cases } = rootDialogClient();
        const [signposting, offer] = await turn(client, 'my partner hits me and i am scared');
        expect(signposting?.text).to.contain('0808 2000 247');
        expect(actionTitles(offer)).to.deep.equal([say(knowledge().conversation.person.action)]);
        await walk(client, [
            [say(knowledge().conversation.person.action), say(words().askName)],
            ['Alex', 'How would you like'],
            [say(words().methods.phone), say(words().askPhone)],
            ['07700 900123', 'Can we share'],
            [say(words().consentYes), say(words().confirmQuestion)],
            [say(words().confirm), 'Your reference is'],
        ]);
        const [stored] = await cases.queue();
        expect(stored).to.deep.include({ priority: 'urgent' });
        expect(stored?.flags).to.deep.equal({ vulnerable: true, safetyRule: 'domestic-abuse' });
    });

    it('out of hours, gives the opening times and emergency numbers first, then still takes the case', async () => {
        const { client } = rootDialogClient({ now: saturdayEvening });
        const [closed, intro] = await turn(client, 'can i speak to someone');
        for (const e of knowledge().council.emergencyNumbers) expect(closed?.text).to.contain(e.phone);
        expect(intro?.text).to.contain(teamName(knowledge().council.defaultTeam));
    });

    it('asks the pending question again when the resident asks for a person while already being handed over', async () => {
        const { client, decisions } = rootDialogClient();
        await walk(client, [
            ['speak to someone', say(words().askName)],
            ['Jo', 'How would you like'],
            ['real person please', 'How would you like'],
        ]);
        expect(decisions.filter((d) => d.outcome === 'handoff')).to.have.length(1);
    });

    it('still puts safety first in the middle of the capture', async () => {
        const { client, cases } = rootDialogClient();
        await walk(client, [
            ['speak to someone', say(words().askName)],
            ['i want to kill myself', 'Samaritans'],
        ]);
        expect(await cases.queue()).to.have.length(0);
    });
});
