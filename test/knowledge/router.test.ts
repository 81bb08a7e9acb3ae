import { expect } from 'chai';
import { KnowledgeEngine } from '../../knowledge/engine';
import type { KnowledgeService } from '../../knowledge/loader';
import { localise } from '../../knowledge/localise';
import type { RouteDecision, RouterSettings } from '../../knowledge/router';
import { defaultEngineSettings, type EngineSettings } from '../../knowledge/settings';
import { knowledgeWith, makeService, sampleKnowledge } from './knowledgeFixture';

function decide(engine: KnowledgeEngine, message: string): RouteDecision {
    return engine.route(engine.understand(message).text);
}

function answered(decision: RouteDecision): string | undefined {
    return decision.outcome === 'answer' ? decision.service.id : undefined;
}

function offered(decision: RouteDecision): string[] {
    return decision.outcome === 'clarify' ? decision.options.map((s) => s.id) : [];
}

function withRouting(routing: Partial<RouterSettings>): EngineSettings {
    return { ...defaultEngineSettings, routing: { ...defaultEngineSettings.routing, ...routing } };
}

describe('routing', () => {
    describe('with the sample knowledge', () => {
        let engine: KnowledgeEngine;

        before(() => {
            engine = new KnowledgeEngine(sampleKnowledge());
        });

        for (const [message, service] of [
            ['my bin wasnt emptied today', 'missed-bin'],
            ['pay my council tax', 'council-tax-pay'],
            ['pothole on my road', 'pothole'],
        ] as const) {
            it(`answers "${message}" with ${service}`, () => {
                const decision = decide(engine, message);

                expect(decision.outcome).to.equal('answer');
                expect(answered(decision)).to.equal(service);
                expect(decision.candidates[0]?.service.id).to.equal(service);
            });
        }

        it('answers a title typed exactly with that service and a score of 1', () => {
            const missedBin = engine.service('missed-bin') as KnowledgeService;
            const decision = decide(engine, localise(missedBin.title));

            expect(answered(decision)).to.equal('missed-bin');
            expect(decision.candidates[0]).to.include({ score: 1, field: 'title' });
        });

        it('answers every service title (the buttons of a "Did you mean" question) with its own service', () => {
            const wrong = sampleKnowledge()
                .services.map((service) => ({ service, decision: decide(engine, localise(service.title)) }))
                .filter(
                    ({ service, decision }) => answered(decision) !== service.id || decision.candidates[0]?.score !== 1,
                )
                .map(({ service, decision }) => `${service.id} → ${decision.outcome} ${answered(decision) ?? ''}`);

            expect(wrong).to.deep.equal([]);
        });

        for (const message of ["what's the weather tomorrow", 'recipe for lasagne']) {
            it(`says it does not know about "${message}"`, () => {
                expect(decide(engine, message).outcome).to.equal('not-known');
            });
        }

        it('gives the same decision and scores for the same message, in the same or a new engine', () => {
            const messages = ['my bin wasnt emptied today', 'council tax', 'noise', 'recipe for lasagne'];
            const summary = (e: KnowledgeEngine) =>
                messages.map((m) => {
                    const d = decide(e, m);
                    return {
                        outcome: d.outcome,
                        answer: answered(d),
                        options: offered(d),
                        candidates: d.candidates.map((c) => [c.service.id, c.score, c.field, c.matched]),
                    };
                });

            const first = summary(engine);

            expect(summary(engine)).to.deep.equal(first);
            expect(summary(new KnowledgeEngine(sampleKnowledge()))).to.deep.equal(first);
        });
    });

    describe('with a small handmade knowledge', () => {
        const permitPhrases = (kind: string) => [
            'parking permit',
            `${kind} parking permit`,
            `apply for a ${kind} permit`,
            `renew my ${kind} permit`,
        ];
        const resident = makeService({
            id: 'resident-permit',
            title: 'Resident parking permit',
            phrases: [...permitPhrases('resident'), 'permit to park outside my house'],
        });
        const visitor = makeService({
            id: 'visitor-permit',
            title: 'Visitor parking permit',
            phrases: [...permitPhrases('visitor'), 'scratch cards for guests'],
        });
        const business = makeService({
            id: 'business-permit',
            title: 'Business parking permit',
            phrases: permitPhrases('business'),
        });
        const trade = makeService({
            id: 'trade-permit',
            title: 'Trade parking permit',
            phrases: permitPhrases('trade'),
        });
        const library = makeService({
            id: 'library-card',
            title: 'Join the library',
            phrases: ['join the library', 'library card', 'borrow books', 'lost my library card'],
        });

        it('answers when one service is clearly ahead', () => {
            const engine = new KnowledgeEngine(knowledgeWith([resident, visitor, library]));

            expect(answered(decide(engine, 'scratch cards for guests'))).to.equal('visitor-permit');
            expect(answered(decide(engine, 'lost my library card'))).to.equal('library-card');
        });

        it('offers a choice when two services score the same', () => {
            const engine = new KnowledgeEngine(knowledgeWith([resident, visitor, library]));
            const decision = decide(engine, 'parking permit');

            expect(decision.outcome).to.equal('clarify');
            expect(offered(decision)).to.deep.equal(['resident-permit', 'visitor-permit']);
            expect(decision.candidates[0]?.score).to.equal(decision.candidates[1]?.score);
        });

        it('offers at most maxClarifyOptions services, best first and then by id', () => {
            const knowledge = knowledgeWith([visitor, trade, resident, business, library]);

            const decision = decide(new KnowledgeEngine(knowledge), 'parking permit');
            const fewer = decide(
                new KnowledgeEngine(knowledge, withRouting({ maxClarifyOptions: 2 })),
                'parking permit',
            );

            expect(defaultEngineSettings.routing.maxClarifyOptions).to.equal(3);
            expect(offered(decision)).to.deep.equal(['business-permit', 'resident-permit', 'trade-permit']);
            expect(offered(fewer)).to.deep.equal(['business-permit', 'resident-permit']);
        });

        it('offers a choice when the best service is ahead by less than the answer margin', () => {
            const knowledge = knowledgeWith([resident, visitor, library]);
            const question = 'resident parking permit';
            const [best, next] = decide(new KnowledgeEngine(knowledge), question).candidates;
            const gap = (best?.score ?? 0) - (next?.score ?? 0);
            expect(best?.service.id).to.equal('resident-permit');
            expect(gap).to.be.greaterThan(0);

            const wide = decide(new KnowledgeEngine(knowledge, withRouting({ answerMargin: gap + 0.001 })), question);
            const narrow = decide(new KnowledgeEngine(knowledge, withRouting({ answerMargin: gap - 0.001 })), question);

            expect(wide.outcome).to.equal('clarify');
            expect(offered(wide)[0]).to.equal('resident-permit');
            expect(answered(narrow)).to.equal('resident-permit');
        });

        it('offers only the services within the clarify band of the best', () => {
            const knowledge = knowledgeWith([resident, visitor, library]);
            const question = 'resident parking permit';
            const [best, next] = decide(new KnowledgeEngine(knowledge), question).candidates;
            const gap = (best?.score ?? 0) - (next?.score ?? 0);
            // An answer threshold above 1 makes every decision a choice, so only the band decides the options.
            const band = (clarifyBand: number) => withRouting({ answerThreshold: 1.01, clarifyBand });

            const wide = decide(new KnowledgeEngine(knowledge, band(gap + 0.001)), question);
            const narrow = decide(new KnowledgeEngine(knowledge, band(gap - 0.001)), question);

            expect(offered(wide)).to.deep.equal(['resident-permit', 'visitor-permit']);
            expect(offered(narrow)).to.deep.equal(['resident-permit']);
        });

        describe('a story whose words spread over one service, though no one phrase matches it well', () => {
            const noise = makeService({
                id: 'noise',
                title: 'Report noise',
                phrases: ['loud music from next door', 'dog barking all night', 'neighbours shouting and banging'],
            });
            const pests = makeService({
                id: 'pests',
                title: 'Pest control',
                phrases: ['rats in the garden', 'mice in the kitchen', 'wasps nest'],
            });
            const knowledge = knowledgeWith([noise, pests, library]);
            const story =
                'since the new family moved in next door there is music and shouting every night and their dog ' +
                'keeps barking for hours';

            it('is answered with that service below the answer threshold, when the story rule is on', () => {
                const told = decide(new KnowledgeEngine(knowledge), story);
                const [best] = told.candidates;
                expect(best?.score).to.be.below(defaultEngineSettings.routing.answerThreshold);
                expect(best?.service.id).to.equal('noise');
                expect(answered(told)).to.equal('noise');

                const off = decide(new KnowledgeEngine(knowledge, withRouting({ storyTerms: 100 })), story);
                expect(answered(off)).to.equal(undefined);
                const weaker = withRouting({ storyScore: (best?.score ?? 0) + 0.001 });
                expect(answered(decide(new KnowledgeEngine(knowledge, weaker), story))).to.equal(undefined);
            });

            it('is not answered when its words spread over two services alike', () => {
                const both =
                    'since they moved in the neighbours are loud every night and we keep finding rats in the house';
                expect(answered(decide(new KnowledgeEngine(knowledge), both))).to.equal(undefined);
            });

            it('is not answered when it is short', () => {
                expect(answered(decide(new KnowledgeEngine(knowledge), 'dog shouting'))).to.equal(undefined);
            });
        });

        it('takes its thresholds from the settings: an answer needing more than 1 becomes a choice', () => {
            const knowledge = knowledgeWith([resident, visitor, library]);

            const normal = decide(new KnowledgeEngine(knowledge), 'join the library');
            const strict = decide(
                new KnowledgeEngine(knowledge, withRouting({ answerThreshold: 1.01 })),
                'join the library',
            );

            expect(answered(normal)).to.equal('library-card');
            expect(normal.candidates[0]?.score).to.equal(1);
            expect(strict.outcome).to.equal('clarify');
            expect(offered(strict)).to.deep.equal(['library-card']);
        });

        it('says it does not know when the best score is below the clarify threshold from the settings', () => {
            const knowledge = knowledgeWith([resident, visitor, library]);

            const decision = decide(
                new KnowledgeEngine(knowledge, withRouting({ clarifyThreshold: 1.01 })),
                'join the library',
            );

            expect(decision.outcome).to.equal('not-known');
            expect(decision.candidates[0]?.service.id).to.equal('library-card');
        });

        it('says it does not know about words no service uses', () => {
            const decision = decide(
                new KnowledgeEngine(knowledgeWith([resident, visitor, library])),
                'recipe for lasagne',
            );

            expect(decision.outcome).to.equal('not-known');
            expect(decision.candidates).to.deep.equal([]);
        });
    });
});
