import { expect } from 'chai';
import type { TurnContext } from 'botbuilder';
import { InsightRecorder } from '../../../bot/insight/insightRecorder';
import { SqliteInsightStore } from '../../../bot/insight/sqliteInsightStore';
import type { Case } from '../../../bot/handoff/case';
import { capturedLogger } from '../../helpers/capturedLogger';
import { sampleEngine } from '../../helpers/assistant';
import { sampleCase } from '../stores/caseStore.contract';
import { setTurnOrigin } from '../../../bot/turnOrigin';

const at = new Date('2026-11-23T10:00:00.000Z');

function recorder() {
    const store = new SqliteInsightStore(':memory:');
    const insight = new InsightRecorder({
        store,
        knowledge: { current: sampleEngine },
        secret: 'insight-test-secret',
        log: capturedLogger().log,
        now: () => at,
    });
    const all = () => store.between(new Date('2026-01-01'), new Date('2027-01-01'));
    return { store, insight, all };
}

/** The little of a turn the recorder reads; `site` as the server established it (see TurnOrigin). */
const turn = (text: string, origin?: { site: string }) => {
    const context = {
        activity: { channelId: 'directline', conversation: { id: 'dl-conversation-7' }, text },
        turnState: new Map(),
    } as unknown as TurnContext;
    if (origin)
        setTurnOrigin(context, { channel: 'directline', site: origin.site, client: 'client-1', vouched: false });
    return context;
};

describe('InsightRecorder', () => {
    it('records what was decided, with a pseudonymous conversation and no words for an answered turn', async () => {
        const { insight, all } = recorder();
        await insight.decided(turn('my bin was missed, I am at 12 High Street', { site: 'riverside-housing' }), {
            outcome: 'answer',
            services: ['missed-bin'],
            score: 0.8,
        });
        const [event] = await all();
        expect(event).to.deep.equal({
            at: at.toISOString(),
            conversation: insight.pseudonym('directline', 'dl-conversation-7'),
            kind: 'turn',
            channel: 'directline',
            site: 'riverside-housing',
            language: 'en',
            outcome: 'answer',
            serviceId: 'missed-bin',
            score: 0.8,
            customerType: 'resident',
        });
        expect(event?.conversation).not.to.contain('dl-conversation-7');
        expect(insight.pseudonym('directline', 'dl-conversation-7')).to.equal(event?.conversation);
        expect(insight.pseudonym('directline', 'dl-conversation-8')).not.to.equal(event?.conversation);
    });

    it('keeps the redacted words of a not-known turn and of an unhelpful answer, and only those', async () => {
        const { insight, all } = recorder();
        await insight.decided(turn('my email is jo@example.com and my dog barks'), {
            outcome: 'not-known',
            services: [],
        });
        await insight.feedback(turn('No'), { serviceId: 'missed-bin', helpful: false, question: 'call 07700 900123' });
        await insight.feedback(turn('Yes'), { serviceId: 'missed-bin', helpful: true, question: 'my bin' });
        const [notKnown, unhelpful, helpful] = await all();
        expect(notKnown?.text).to.equal('my email is [email] and my dog barks');
        expect(unhelpful).to.deep.include({ kind: 'feedback', helpful: false, text: 'call [phone]' });
        expect(helpful).to.deep.include({ kind: 'feedback', helpful: true });
        expect(helpful).not.to.have.property('text');
    });

    it('marks business enquiries from the service, and records cases and their outcomes under the same pseudonym', async () => {
        const { insight, all } = recorder();
        const business = sampleEngine().knowledge.services.find((s) => s.customerType === 'business');
        expect(business, 'the sample has a business service').to.not.equal(undefined);
        await insight.decided(turn('business rates'), { outcome: 'answer', services: [business?.id ?? ''] });
        const created: Case = {
            ...sampleCase({ conversation: { channelId: 'directline', conversation: { id: 'dl-conversation-7' } } }),
            reference: 'ATB-22222',
            createdAt: at.toISOString(),
            status: 'closed',
            claimedAt: '2026-11-23T10:12:00.000Z',
            outcome: 'resolved',
        };
        await insight.caseCreated(turn('Yes, send it'), created);
        await insight.caseClaimed(created);
        await insight.caseClosed(created);
        const [answered, caseEvent, claimed, closed] = await all();
        expect(claimed).to.deep.include({
            kind: 'caseClaimed',
            waitedMinutes: 12,
            conversation: answered?.conversation,
        });
        expect(answered?.customerType).to.equal('business');
        expect(caseEvent).to.deep.include({ kind: 'case', serviceId: 'missed-bin' });
        expect(closed).to.deep.include({
            kind: 'caseClosed',
            caseOutcome: 'resolved',
            conversation: answered?.conversation,
        });
    });

    it('never keeps personal data in any event, over generated messages', async () => {
        const { insight, all } = recorder();
        const pieces = {
            email: ['jo.bloggs@example.com', 'A.N.Other+council@mail.co.uk'],
            phone: ['07700 900123', '+44 7700 900123', '01632 960000', '(01632) 960 001'],
            postcode: ['AN1 1AA', 'sw1a1aa', 'M1 1AE', 'B33 8TH'],
            card: ['4111 1111 1111 1111', '5500-0000-0000-0004'],
            nino: ['QQ 12 34 56 C', 'AB123456D'],
            address: ['12 High Street', '4a Mill Lane', '221 Baker St'],
        };
        const leads = ['my', 'help with', 'please contact me at', 'it is', 'urgent:'];
        let seed = 11;
        const pick = <T>(list: readonly T[]) => list[(seed = (seed * 48271) % 2147483647) % list.length] as T;
        const planted: string[] = [];
        for (let i = 0; i < 200; i++) {
            const secrets = [pick(Object.values(pieces)), pick(Object.values(pieces))].map((kind) => pick(kind));
            planted.push(...secrets);
            const text = `${pick(leads)} ${secrets[0]} and ${pick(leads)} ${secrets[1]}`;
            await insight.decided(turn(text), { outcome: 'not-known', services: [] });
            await insight.feedback(turn('No'), { serviceId: 'missed-bin', helpful: false, question: text });
        }
        const stored = JSON.stringify(await all());
        for (const secret of new Set(planted)) expect(stored, secret).not.to.contain(secret);
        // The words were kept, redacted: every kind of placeholder is there.
        for (const kind of Object.keys(pieces)) expect(stored).to.contain(`[${kind}]`);
    });
});
