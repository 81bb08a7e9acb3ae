import { expect } from 'chai';
import type { Case } from '../../../bot/handoff/case';
import { formatCaseSummary } from '../../../bot/handoff/caseSummary';
import { sampleCase } from '../stores/caseStore.contract';

const stored = (overrides: Partial<Case> = {}): Case => ({
    ...sampleCase(),
    reference: 'ATB-7K3F9',
    createdAt: '2026-11-23T10:04:05.678Z',
    status: 'queued',
    ...overrides,
});

describe('formatCaseSummary', () => {
    it('puts what a person needs first, then the details and the conversation, in plain text', () => {
        expect(formatCaseSummary(stored())).to.equal(
            [
                'Case ATB-7K3F9',
                '',
                'Received: 2026-11-23 10:04 UTC',
                'Team: waste',
                'Service: Missed bin collection (missed-bin)',
                'Priority: normal',
                'Flags: none',
                'Channel: webchat (partner site: parish-council)',
                'Language: en-GB',
                '',
                "Resident's words:",
                '    My bin was not emptied on Tuesday',
                '',
                'What the assistant answered:',
                '    Sorry about that. I can pass this to the waste team.',
                '',
                'Details:',
                '    Name: Sam Resident',
                '    Prefers: phone',
                '    Phone: 07700 900123',
                '    Email: sam@example.com',
                '    Address: 1 High Street, Atherby',
                '    Agreed to share these details: yes',
                '',
                'Conversation:',
                '    09:00 resident: My bin was not emptied',
                '',
            ].join('\n'),
        );
    });

    it('marks an urgent case and its flags, and says what is missing rather than leaving a gap', () => {
        const summary = formatCaseSummary(
            stored({
                priority: 'urgent',
                flags: { vulnerable: true, safetyRule: 'domestic-abuse' },
                serviceId: undefined,
                serviceTitle: undefined,
                assistantAnswer: undefined,
                site: undefined,
                transcript: [],
            }),
        );
        expect(summary).to.match(/^Case ATB-7K3F9 \(URGENT\)\n/);
        expect(summary).to.contain('Flags: vulnerable, safety rule "domestic-abuse"');
        expect(summary).to.contain('Service: not about one service');
        expect(summary).to.contain('Channel: webchat\n');
        expect(summary).to.contain('(nothing: the resident was passed to a person)');
        expect(summary).to.contain('Conversation:\n    (not recorded)\n');
    });

    it('keeps a multi-line message indented under its speaker', () => {
        const summary = formatCaseSummary(
            stored({
                residentWords: 'first line\nsecond line',
                transcript: [{ at: '2026-11-23T10:01:00.000Z', from: 'resident', text: 'one\r\ntwo' }],
            }),
        );
        expect(summary).to.contain("Resident's words:\n    first line\n    second line\n");
        expect(summary).to.contain('    10:01 resident: one\n                    two\n');
    });
});
