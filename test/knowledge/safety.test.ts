import { expect } from 'chai';
import { KnowledgeEngine } from '../../knowledge/engine';
import { sampleKnowledge } from './knowledgeFixture';

describe('understanding safety, person requests and commands', () => {
    let engine: KnowledgeEngine;

    before(() => {
        engine = new KnowledgeEngine(sampleKnowledge());
    });

    describe('safety rules', () => {
        const fires: ReadonlyArray<readonly [rule: string, typical: string, misspeltOrIndirect: string]> = [
            ['suicide-self-harm', 'I feel suicidal', 'i want to kil myself'],
            ['domestic-abuse', 'my partner hits me', 'my husbnd hits me and i am scared'],
            ['child-at-risk', 'i think a child is being abused next door', 'the kids next door have been left alone'],
            ['adult-at-risk', 'my elderly neighbour is being neglected', 'my mum has falen and cant get up'],
            ['gas-leak', 'i can smell gas', 'i can smel gas in the kitchen'],
            ['homeless-tonight', 'nowhere to sleep tonight', 'i have been sleepin rough'],
            ['immediate-danger', 'my house is on fire', 'someone is unconcious in the street'],
            ['dangerous-hazard', 'there is a manhole cover missing', 'a tree has fallen accross the road'],
        ];

        it('has a test for every rule in the sample', () => {
            expect(fires.map(([rule]) => rule)).to.have.members(sampleKnowledge().safetyRules.map((r) => r.id));
        });

        for (const [rule, typical, other] of fires) {
            it(`signposts ${rule} for "${typical}"`, () => {
                expect(engine.understand(typical).safety?.id).to.equal(rule);
            });

            it(`signposts ${rule} for "${other}"`, () => {
                expect(engine.understand(other).safety?.id).to.equal(rule);
            });
        }

        it('fires on a safety phrase inside a longer council question', () => {
            expect(engine.understand('how do i pay council tax, i want to end it all').safety?.id).to.equal(
                'suicide-self-harm',
            );
        });

        for (const message of [
            'pest control to kill rats',
            'bonfire complaint',
            'report a fire hydrant leaking',
            'fire door in my council flat is broken',
            'gas safety check for my council flat',
            'killing weeds on the pavement',
            'my bin was not emptied',
        ]) {
            it(`does not fire for the ordinary question "${message}"`, () => {
                expect(engine.understand(message).safety).to.equal(undefined);
            });
        }
    });

    describe('asking for a person', () => {
        for (const message of ['can i speak to someone', 'real person please', 'agent', 'Agent!', 'talk to a human']) {
            it(`recognises "${message}"`, () => {
                expect(engine.understand(message).wantsPerson).to.equal(true);
            });
        }

        for (const message of [
            'single person discount',
            'my letting agent wont fix the damp',
            'operator licence',
            'taxi operator licence',
        ]) {
            it(`does not take "${message}" as a request for a person`, () => {
                expect(engine.understand(message).wantsPerson).to.equal(false);
            });
        }
    });

    describe('commands', () => {
        for (const [message, command] of [
            ['help', 'help'],
            ['HELP!', 'help'],
            ['help please', 'help'],
            ['start again', 'startAgain'],
            ['cancel', 'cancel'],
            ['bye', 'goodbye'],
        ] as const) {
            it(`takes "${message}" as the ${command} command`, () => {
                expect(engine.understand(message).command).to.equal(command);
            });
        }

        for (const message of [
            'help with council tax',
            'i need help paying my rent',
            'start again with my benefit claim',
            'cancel my garden waste subscription',
            'stop the noise next door',
        ]) {
            it(`does not take "${message}" as a command, because it is not the whole message`, () => {
                expect(engine.understand(message).command).to.equal(undefined);
            });
        }
    });
});
