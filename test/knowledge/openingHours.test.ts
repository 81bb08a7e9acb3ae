import { expect } from 'chai';
import { openingStatus } from '../../knowledge/openingHours';
import type { Council } from '../../knowledge/schema';
import { sampleKnowledge } from './knowledgeFixture';

describe('openingStatus', () => {
    let council: Council;

    before(() => {
        council = sampleKnowledge().council;
    });

    it('is open on a Monday at 10:00 London time, until 17:00', () => {
        // Monday 2 November 2026, after the clocks have gone back: London time is UTC.
        expect(openingStatus(council, new Date('2026-11-02T10:00:00Z'))).to.deep.equal({ open: true, closes: '17:00' });
    });

    it('closes at 16:30 on a Friday', () => {
        expect(openingStatus(council, new Date('2026-11-06T16:29:00Z'))).to.deep.equal({ open: true, closes: '16:30' });
        expect(openingStatus(council, new Date('2026-11-06T16:30:00Z'))).to.deep.include({ open: false });
    });

    it('is closed on a Saturday and opens again on Monday, in 2 days', () => {
        expect(openingStatus(council, new Date('2026-11-07T11:00:00Z'))).to.deep.equal({
            open: false,
            opens: { inDays: 2, weekday: 'monday', time: '08:30' },
        });
    });

    it('counts days on the calendar across a clock change', () => {
        // Saturday 23:30 in London, the night the clocks go forward: Monday is two days away, not "tomorrow".
        expect(openingStatus(council, new Date('2026-03-28T23:30:00Z'))).to.deep.include({
            opens: { inDays: 2, weekday: 'monday', time: '08:30' },
        });
        // Sunday 00:30 in London, the night the clocks go back: Monday is tomorrow.
        expect(openingStatus(council, new Date('2026-10-25T00:30:00+01:00'))).to.deep.include({
            opens: { inDays: 1, weekday: 'monday', time: '08:30' },
        });
    });

    it('is closed at 08:00 and opens later the same day', () => {
        expect(openingStatus(council, new Date('2026-11-03T08:00:00Z'))).to.deep.equal({
            open: false,
            opens: { inDays: 0, weekday: 'tuesday', time: '08:30' },
        });
    });

    it('opens at 08:30 exactly and is closed at 17:00 exactly', () => {
        expect(openingStatus(council, new Date('2026-11-03T08:30:00Z'))).to.deep.equal({ open: true, closes: '17:00' });
        expect(openingStatus(council, new Date('2026-11-03T17:00:00Z'))).to.deep.equal({
            open: false,
            opens: { inDays: 1, weekday: 'wednesday', time: '08:30' },
        });
    });

    it('is closed on a bank holiday, 25 December 2026, and skips the bank holiday after the weekend', () => {
        // Friday 25 December, then the weekend, then Monday 28 December (a bank holiday too).
        expect(openingStatus(council, new Date('2026-12-25T10:00:00Z'))).to.deep.equal({
            open: false,
            opens: { inDays: 4, weekday: 'tuesday', time: '08:30' },
        });
    });

    it('uses British Summer Time: 07:45 UTC on a July Monday is 08:45 in London, so it is open', () => {
        expect(openingStatus(council, new Date('2026-07-06T07:45:00Z'))).to.deep.equal({ open: true, closes: '17:00' });
        // 07:15 UTC is 08:15 in London: not yet open.
        expect(openingStatus(council, new Date('2026-07-06T07:15:00Z'))).to.deep.equal({
            open: false,
            opens: { inDays: 0, weekday: 'monday', time: '08:30' },
        });
    });

    it('says when it next opens in the council time zone, not the server one, on a summer evening', () => {
        // 23:30 UTC on Monday 6 July is 00:30 on Tuesday in London.
        expect(openingStatus(council, new Date('2026-07-06T23:30:00Z'))).to.deep.equal({
            open: false,
            opens: { inDays: 0, weekday: 'tuesday', time: '08:30' },
        });
    });
});
