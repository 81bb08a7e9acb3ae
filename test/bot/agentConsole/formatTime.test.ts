import { expect } from 'chai';
import { formatCouncilTime } from '../../../bot/agentConsole/formatTime';

describe('formatCouncilTime', () => {
    it("shows the council's local time: GMT in winter, BST in summer", () => {
        expect(formatCouncilTime('2026-11-25T14:05:00.000Z', 'Europe/London')).to.equal('25 Nov 2026, 14:05');
        expect(formatCouncilTime('2026-07-01T14:05:00.000Z', 'Europe/London')).to.equal('1 Jul 2026, 15:05');
        expect(formatCouncilTime('2026-07-01T23:30:00.000Z', 'Europe/London')).to.equal('2 Jul 2026, 00:30');
    });
});
