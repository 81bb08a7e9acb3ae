import { expect } from 'chai';
import { KnowledgeEngine } from '../../knowledge/engine';
import { localise } from '../../knowledge/localise';
import { Normaliser } from '../../knowledge/normaliser';
import { PhraseRules, type PhraseRuleOptions } from '../../knowledge/phraseRules';
import { sampleKnowledge } from './knowledgeFixture';

describe('understanding safety, person requests and commands', () => {
    let engine: KnowledgeEngine;

    before(() => {
        engine = new KnowledgeEngine(sampleKnowledge());
    });

    describe('safety rules', () => {
        const fires: ReadonlyArray<readonly [rule: string, typical: string, misspeltOrIndirect: string]> = [
            ['suicide-self-harm', 'I feel suicidal', 'i want to kil myself'],
            ['child-disclosure', 'my stepdad hits me', 'im scared to go home, my mums boyfriend hurts me'],
            ['domestic-abuse', 'my partner hits me', 'my husbnd hits me and i am scared'],
            ['child-at-risk', 'i think a child is being abused next door', 'the kids next door have been left alone'],
            ['adult-at-risk', 'my elderly neighbour is being neglected', 'my mum has falen and cant get up'],
            ['gas-leak', 'i can smell gas', 'i can smel gas in the kitchen'],
            ['homeless-tonight', 'nowhere to sleep tonight', 'i have been sleepin rough'],
            ['immediate-danger', 'my house is on fire', 'someone is unconcious in the street'],
            ['dangerous-hazard', 'there is a manhole cover missing', 'a tree has fallen accross the road'],
            [
                'damp-mould-health',
                'the mould is making my baby ill',
                'my sons asthma is getting worse since the black mould came back',
            ],
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

        describe('a child or young person telling us about themselves', () => {
            const childMessage = () => sampleKnowledge().safetyRules.find((r) => r.id === 'child-disclosure');

            for (const message of [
                'my dad hits me and im 14',
                "i'm 12 and my stepdad touches me",
                'my mum is drunk every day and doesnt feed us',
                'im scared to go home',
                'my mums boyfriend hit me and said not to tell my teacher',
            ]) {
                it(`gives Childline for "${message}"`, () => {
                    expect(engine.understand(message).safety?.id).to.equal('child-disclosure');
                });
            }

            it('wins over the adult domestic abuse rule when a parent is the one hurting them', () => {
                // "boyfriend hit me" alone is domestic abuse; "mums boyfriend hit me" is a child at home.
                expect(engine.understand('my boyfriend hit me').safety?.id).to.equal('domestic-abuse');
                expect(engine.understand('my mums boyfriend hit me').safety?.id).to.equal('child-disclosure');
                expect(engine.understand('i dont feel safe at home, my dad hits me').safety?.id).to.equal(
                    'child-disclosure',
                );
            });

            it('reads an age given in figures: a 14-year-old hurt by a boyfriend gets Childline too', () => {
                expect(engine.understand('my boyfriend hits me and im 14').safety?.id).to.equal('child-disclosure');
                expect(engine.understand('my boyfriend hits me and im 34').safety?.id).to.equal('domestic-abuse');
            });

            it('leaves an adult telling us about a partner to the domestic abuse rule', () => {
                for (const message of [
                    'my partner hits me and im scared to go home',
                    'my husband hits me and i dont feel safe at home, can i stay at my mums',
                    'my boyfriend hits me in front of the kids',
                ]) {
                    expect(engine.understand(message).safety?.id, message).to.equal('domestic-abuse');
                }
            });

            it("tells the child about Childline, 999 and the council's children's services", () => {
                const text = localise(childMessage()?.message ?? '');
                expect(text).to.contain('0800 1111').and.to.contain('childline.org.uk').and.to.contain('999');
                const concern = sampleKnowledge().services.find((s) => s.id === 'report-child-concern');
                expect(text).to.contain(concern?.contact?.phone ?? 'no children services phone');
            });
        });

        for (const message of [
            'pest control to kill rats',
            'bonfire complaint',
            'report a fire hydrant leaking',
            'fire door in my council flat is broken',
            'gas safety check for my council flat',
            'killing weeds on the pavement',
            'my bin was not emptied',
            'parents are kicking me out at the end of the month',
            'pothole opened up around a manhole',
            'black mould in the bathroom and the landlord will not fix it',
            'there is no way out of the car park after 8pm',
        ]) {
            it(`does not fire for the ordinary question "${message}"`, () => {
                expect(engine.understand(message).safety).to.equal(undefined);
            });
        }
    });

    describe('how phrases are found', () => {
        const options: PhraseRuleOptions = { mode: 'contains', maxGap: 2, singleWordMaxTerms: Infinity };
        const normaliser = new Normaliser([]);
        const rules = (phrases: readonly (readonly [string, string])[], settings = options) =>
            new PhraseRules(
                phrases.map(([phrase, value]) => ({ phrase, value })),
                normaliser,
                settings,
            );
        const find = (found: PhraseRules<string>, message: string) => found.find(normaliser.analyse(message));

        it('allows up to two other words between the words of a phrase, and no more', () => {
            const found = rules([['smell gas', 'gas']]);
            expect(find(found, 'i can smell a lot of gas')).to.equal(undefined);
            expect(find(found, 'i can smell some gas')).to.equal('gas');
        });

        it('lets "..." stand for up to a sentence of other words', () => {
            const found = rules([['mould ... making her ill', 'damp']]);
            expect(find(found, 'the mould in my daughters room is making her ill')).to.equal('damp');
            expect(find(found, `mould ${'and so on '.repeat(5)}making her ill`)).to.equal(undefined);
            expect(
                find(
                    rules([['mould ... making her ill', 'damp']], { ...options, farGap: 20 }),
                    'mould and so on and so on and so on making her ill',
                ),
            ).to.equal('damp');
        });

        it('wants words in double quotes one after the other', () => {
            const found = rules([['"open manhole"', 'hazard']]);
            expect(find(found, 'there is an open manhole')).to.equal('hazard');
            expect(find(found, 'a pothole opened up around a manhole')).to.equal(undefined);
        });

        it('tries every place a word appears, not only the first', () => {
            const found = rules([['making her ill', 'damp']]);
            expect(find(found, 'its making me cross and making her ill')).to.equal('damp');
        });

        it('prefers the longest phrase, then the one given first', () => {
            const found = rules([
                ['hits me', 'adult'],
                ['dad hits me', 'child'],
                ['scared to go', 'first'],
                ['to go home', 'second'],
            ]);
            expect(find(found, 'my dad hits me')).to.equal('child');
            expect(find(found, 'my partner hits me')).to.equal('adult');
            expect(find(found, 'scared to go home')).to.equal('first');
        });

        it('counts a one-word phrase only in a short message when told to', () => {
            const found = rules([['agent', 'person']], { ...options, singleWordMaxTerms: 1 });
            expect(find(found, 'agent')).to.equal('person');
            expect(find(found, 'my letting agent will not fix the damp')).to.equal(undefined);
        });

        it('compares a whole message word for word in whole mode, courtesy words aside', () => {
            const found = rules(
                [
                    ['start again', 'startAgain'],
                    ['help', 'help'],
                ],
                { mode: 'whole', maxGap: 0, singleWordMaxTerms: 0 },
            );
            expect(find(found, 'start again please')).to.equal('startAgain');
            expect(find(found, 'help with council tax')).to.equal(undefined);
        });

        it('stays fast on a very long message of common words', () => {
            const engineStart = performance.now();
            engine.understand('my mum and my dad and my kids and the children and the baby '.repeat(400));
            expect(performance.now() - engineStart).to.be.below(500);
        });
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
