import { expect } from 'chai';
import type { InsightEvent } from '../../../bot/insight/insightEvent';
import { clusterQuestions, computeMeasures, questionWords } from '../../../bot/insight/measures';
import { sampleEngine } from '../../helpers/assistant';

const council = () => sampleEngine().knowledge.council;

// Monday 23 November 2026, 10:00 GMT (open) and Saturday 28 November, 19:00 (closed).
const open = '2026-11-23T10:00:00.000Z';
const closed = '2026-11-28T19:00:00.000Z';

function event(conversation: string, overrides: Partial<InsightEvent>): InsightEvent {
    return {
        at: open,
        conversation,
        kind: 'turn',
        channel: 'directline',
        language: 'en',
        customerType: 'resident',
        ...overrides,
    };
}

/** Five conversations with known outcomes. */
const events: InsightEvent[] = [
    // A: answered, rated helpful: resolved.
    event('A', { outcome: 'answer', serviceId: 'missed-bin' }),
    event('A', { kind: 'feedback', serviceId: 'missed-bin', helpful: true }),
    // B: answered, rated unhelpful, then a case: not resolved, handed off.
    event('B', { outcome: 'answer', serviceId: 'council-tax-pay', customerType: 'resident' }),
    event('B', { kind: 'feedback', serviceId: 'council-tax-pay', helpful: false, text: 'pay my council tax' }),
    event('B', { outcome: 'handoff', reason: 'asked' }),
    event('B', { kind: 'case', serviceId: 'council-tax-pay' }),
    event('B', { kind: 'caseClaimed', waitedMinutes: 4 }),
    event('B', { kind: 'caseClosed', caseOutcome: 'resolved' }),
    event('X', { kind: 'caseClaimed', waitedMinutes: 30 }),
    event('Y', { kind: 'caseClaimed', waitedMinutes: 12 }),
    // C: out of hours, answered, no feedback: resolved (out of hours contained), on a partner site.
    event('C', { at: closed, outcome: 'answer', serviceId: 'missed-bin', site: 'riverside-housing' }),
    event('C', { at: closed, kind: 'feedback', serviceId: 'missed-bin', helpful: true, site: 'riverside-housing' }),
    // D: out of hours, not known twice, then a person: not resolved.
    event('D', { at: closed, outcome: 'not-known', text: 'where can I park my boat' }),
    event('D', { at: closed, outcome: 'not-known', text: 'boat parking near the river please' }),
    event('D', { at: closed, outcome: 'handoff', reason: 'not-known-again' }),
    // E: a business answer.
    event('E', { outcome: 'answer', serviceId: 'business-rates', customerType: 'business' }),
    event('E', { kind: 'feedback', serviceId: 'business-rates', helpful: false, customerType: 'business' }),
];

describe('insight measures', () => {
    const measures = computeMeasures(events, council());

    it('counts first-point resolution: answered, no case, no unhelpful rating', () => {
        expect(measures.conversations).to.equal(5);
        expect(measures.firstPointResolution).to.deep.equal({ count: 2, of: 5, rate: 0.4 });
    });

    it('counts handoffs and their reasons, and containment out of hours', () => {
        expect(measures.handoff).to.deep.include({ count: 2, of: 5, rate: 0.4 });
        expect(measures.handoff.reasons).to.deep.equal({ asked: 1, 'not-known-again': 1 });
        expect(measures.outOfHoursContainment).to.deep.equal({ count: 1, of: 2, rate: 0.5 });
    });

    it('breaks satisfaction down by service, customer type, channel and site', () => {
        expect(measures.satisfaction.overall).to.deep.equal({ count: 2, of: 4, rate: 0.5 });
        expect(measures.satisfaction.byService).to.deep.include({ key: 'missed-bin', count: 2, of: 2, rate: 1 });
        expect(measures.satisfaction.byCustomerType).to.deep.equal([
            { key: 'resident', count: 2, of: 3, rate: 2 / 3 },
            { key: 'business', count: 0, of: 1, rate: 0 },
        ]);
        expect(measures.satisfaction.bySite).to.deep.equal([{ key: 'riverside-housing', count: 1, of: 1, rate: 1 }]);
        expect(measures.satisfaction.byChannel).to.deep.equal([{ key: 'directline', count: 2, of: 4, rate: 0.5 }]);
    });

    it("shows demand by service, and by hour and weekday in the council's time zone", () => {
        expect(measures.demand.byService).to.deep.equal({ 'missed-bin': 2, 'council-tax-pay': 1, 'business-rates': 1 });
        expect(measures.demand.byHour[10]).to.equal(4);
        expect(measures.demand.byHour[19]).to.equal(4);
        expect(measures.demand.byWeekday[1]).to.equal(4);
        expect(measures.demand.byWeekday[6]).to.equal(4);
        expect(measures.demand.byHour.reduce((a, b) => a + b, 0)).to.equal(8);
    });

    it('measures the time to an agent: cases claimed, median and 90th percentile minutes', () => {
        expect(measures.timeToAgent).to.deep.equal({ claimed: 3, medianMinutes: 12, p90Minutes: 30 });
        expect(computeMeasures([], council()).timeToAgent).to.deep.equal({
            claimed: 0,
            medianMinutes: undefined,
            p90Minutes: undefined,
        });
    });

    it('counts case outcomes, and groups unanswered questions with similar wording', () => {
        expect(measures.caseOutcomes).to.deep.equal({ resolved: 1 });
        expect(measures.unanswered).to.have.length(2);
        expect(questionWords('Where can I park my [postcode] BOAT?')).to.deep.equal(['park', 'boat']);
        const clusters = clusterQuestions([
            'missed bin collection',
            'my bin collection was missed',
            'noisy neighbours at night',
            'bin collection missed again',
        ]);
        expect(clusters.map((c) => c.count)).to.deep.equal([3, 1]);
        expect(clusters[0]?.example).to.equal('missed bin collection');
    });

    it('has nothing to divide by for an empty period, rather than 0%', () => {
        const empty = computeMeasures([], council());
        expect(empty.firstPointResolution).to.deep.equal({ count: 0, of: 0, rate: undefined });
        expect(empty.unanswered).to.deep.equal([]);
    });
});
