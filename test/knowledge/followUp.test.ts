import { expect } from 'chai';
import { followUp, isSubjectLive, type Subject } from '../../knowledge/followUp';
import { sampleEngine } from '../helpers/assistant';
import { KnowledgeCopy, loadError, where } from './knowledgeFixture';

const answeredAt: Subject = { serviceId: 'garden-waste', at: 0, message: 1 };
const minutes = (n: number) => n * 60_000;

/** What followUp makes of `text` as the next message after an answer about `subject`. */
function after(subject: string, text: string, next = { number: 2, at: minutes(1) }) {
    const engine = sampleEngine();
    const understood = engine.understand(text);
    const decision = engine.route(understood.text);
    return followUp(engine, { understood, decision, ...next }, { ...answeredAt, serviceId: subject });
}

describe('followUp', () => {
    describe('keeps the subject of a message that refers back to the last answer', () => {
        const table = [
            // Only words that ask about a service: about the one answered.
            { subject: 'garden-waste', text: 'how much is it', service: 'garden-waste', rule: 'asks-about-it' },
            { subject: 'parking-permit', text: 'can I do it online', service: 'parking-permit' },
            { subject: 'recycling-centre', text: 'what are your opening hours', service: 'recycling-centre' },
            { subject: 'foi-request', text: 'where do I send it', service: 'foi-request' },
            { subject: 'blue-badge', text: 'how long does it take', service: 'blue-badge' },
            { subject: 'bin-collection-day', text: 'what about on a bank holiday', service: 'bin-collection-day' },
            // Words of its own that name a related service.
            { subject: 'bin-collection-day', text: 'and the green bin?', service: 'garden-waste', rule: 'carries-on' },
            { subject: 'garden-waste', text: 'and the tip?', service: 'recycling-centre' },
            { subject: 'pothole', text: 'what about a street light', service: 'street-lighting' },
            { subject: 'parking-permit', text: 'what if i get a ticket', service: 'parking-fine' },
            // Words the answered service has, with a word that points back at it.
            { subject: 'libraries', text: 'is it open on saturday', service: 'libraries', rule: 'refers-back' },
            { subject: 'garden-waste', text: 'what can I put in it', service: 'garden-waste' },
        ];
        for (const row of table) {
            it(`answers "${row.text}" after ${row.subject} with ${row.service}`, () => {
                const result = after(row.subject, row.text);
                expect(result?.service.id).to.equal(row.service);
                expect(result?.subject.id).to.equal(row.subject);
                if (row.rule) expect(result?.rule).to.equal(row.rule);
            });
        }
    });

    describe('leaves a new question to route on its own', () => {
        const table = [
            { subject: 'garden-waste', text: 'how do i pay council tax' },
            { subject: 'garden-waste', text: 'there is a pothole on my road' },
            { subject: 'bin-collection-day', text: 'my bin is broken' },
            { subject: 'libraries', text: 'report a broken street light' },
            { subject: 'parking-permit', text: 'my neighbour is very noisy at night' },
            { subject: 'missed-bin', text: 'someone has dumped a mattress in the alley' },
            // Asks nothing.
            { subject: 'garden-waste', text: 'ok' },
        ];
        for (const row of table) {
            it(`routes "${row.text}" after ${row.subject} on its own`, () => {
                expect(after(row.subject, row.text)).to.equal(undefined);
            });
        }

        it('routes a long message on its own, whatever its words', () => {
            const text = 'how much is it and how long does it take and can i do it online or do i have to phone';
            expect(after('garden-waste', text)).to.equal(undefined);
        });
    });

    describe('forgets the subject', () => {
        it('after three more messages', () => {
            expect(isSubjectLive(answeredAt, { number: 4, at: minutes(1) })).to.equal(true);
            expect(isSubjectLive(answeredAt, { number: 5, at: minutes(1) })).to.equal(false);
            expect(after('garden-waste', 'how much is it', { number: 5, at: minutes(1) })).to.equal(undefined);
        });

        it('ten minutes after the answer', () => {
            expect(isSubjectLive(answeredAt, { number: 2, at: minutes(10) })).to.equal(true);
            expect(isSubjectLive(answeredAt, { number: 2, at: minutes(10.5) })).to.equal(false);
            expect(after('garden-waste', 'how much is it', { number: 2, at: minutes(11) })).to.equal(undefined);
        });

        it('for the message it answered, and for a clock or count that went backwards', () => {
            expect(isSubjectLive(answeredAt, { number: 1, at: minutes(1) })).to.equal(false);
            expect(isSubjectLive(answeredAt, { number: 2, at: -minutes(1) })).to.equal(false);
        });

        it('when the service is no longer in the knowledge', () => {
            expect(after('no-such-service', 'how much is it')).to.equal(undefined);
        });
    });

    describe("conversation.yaml's follow-up words", () => {
        let copy: KnowledgeCopy;
        beforeEach(() => (copy = new KnowledgeCopy()));
        afterEach(() => copy.dispose());

        it('reports an empty list where it is', () => {
            const file = 'conversation.yaml';
            const list = /\n {2}pointers: \[[^\]]*\]/.exec(copy.read(file))?.[0] ?? '';
            const at = copy.replace(file, list, '\n  pointers: []');
            const error = loadError(copy);
            expect(error.message).to.include(
                `${where(copy, file, { line: at.line + 1, column: 3 }, 'followUp.pointers')}: expected at least one word`,
            );
        });

        it('reports a missing yes/no question for a single service, at its section', () => {
            const file = 'conversation.yaml';
            const at = copy.locate(file, '\nclarifyOne:\n');
            copy.replace(file, "  question: 'Do you mean: {service}?'\n", '');
            const error = loadError(copy);
            expect(error.message).to.include(
                `${where(copy, file, { line: at.line + 1, column: 1 }, 'clarifyOne.question')}: missing: expected text`,
            );
        });
    });
});
