import { expect } from 'chai';
import { KnowledgeEngine } from '../../knowledge/engine';
import { sampleKnowledge } from './knowledgeFixture';

/** Stories of 60–150 words with the request in one sentence, and the same request said shortly. */
const stories: ReadonlyArray<{ service: string; short: string; story: string }> = [
    {
        service: 'missed-bin',
        short: 'my bin was not emptied',
        story:
            'We moved into the house on Elm Road in the spring and everything has been fine until now. The ' +
            'neighbours are friendly and the street is usually quiet. Last Tuesday I put everything out the night ' +
            'before, as I always do, and went to work. When I came home that evening the black bin was still sitting ' +
            'at the kerb, full to the top, and every other house on the road had been done. It is starting to smell ' +
            'in this heat and the foxes have been at the bags. Why was my bin not emptied?',
    },
    {
        service: 'planning-comment',
        short: 'how do i object to a planning application',
        story:
            'My family have lived in this cottage for over thirty years and we have always got on with everyone ' +
            'around us. Last week a letter came through the door about the field behind our garden. A developer ' +
            'wants to put forty houses there, with the only road in running right past our front window. My husband ' +
            'has breathing problems and the dust from building work would be awful for him, never mind the traffic ' +
            'afterwards. Our daughter thinks we should just accept it. How do I object to the planning application?',
    },
    {
        service: 'council-tax-discount',
        short: 'single person discount on council tax',
        story:
            'My partner and I split up at the end of the summer after nine years together, and he has moved back ' +
            'to his parents in Leeds. It has been a hard few months and I am still sorting everything out, the bank ' +
            'accounts, the car, who keeps the dog. I am now the only adult living at the flat with our two little ' +
            'ones. A friend at work said I might be able to pay less now. Can I get the single person discount on ' +
            'my council tax?',
    },
];

describe('long messages: the request inside a story', () => {
    let engine: KnowledgeEngine;

    before(() => {
        engine = new KnowledgeEngine(sampleKnowledge());
    });

    const route = (text: string) => engine.route(engine.understand(text).text);

    for (const { service, short, story } of stories) {
        it(`answers ${service} for a ${story.split(/\s+/).length}-word story as for "${short}"`, () => {
            const shortly = route(short);
            expect(shortly.outcome === 'answer' && shortly.service.id).to.equal(service);
            const told = route(story);
            expect(told.outcome === 'answer' && told.service.id, 'the story').to.equal(service);
        });
    }

    it('reads a message of several sentences sentence by sentence, and knows which ones ask', () => {
        const { sentences } = engine.understand(stories[0]?.story as string).text;
        expect(sentences).to.have.length(6);
        expect(sentences.map((s) => s.asks)).to.deep.equal([false, false, false, false, false, true]);
        expect(engine.understand('my bin was not emptied').text.sentences).to.deep.equal([]);
        // A dot in a number or a house name with initials does not end a sentence.
        expect(engine.understand('it is 0.5 miles away. can i walk').text.sentences).to.have.length(2);
    });

    it('does not let a one-word sentence of the story decide ("any tips?" is not the tip)', () => {
        const decision = route(
            'My flatmate moved out last month and I am now living on my own. Money is really tight. Any tips?',
        );
        expect(decision.outcome === 'answer' && decision.service.id).to.equal('council-tax-discount');
        const tip = decision.candidates.find((c) => c.service.id === 'recycling-centre')?.score ?? 0;
        const alone = route('Any tips?').candidates.find((c) => c.service.id === 'recycling-centre')?.score ?? 0;
        expect(tip).to.be.below(alone * 0.6);
    });

    it('scores a service by its best sentence, never below the whole message', () => {
        const whole = route(stories[1]?.story as string);
        const withoutSentences = engine.route({
            ...engine.understand(stories[1]?.story as string).text,
            sentences: [],
        });
        for (const candidate of withoutSentences.candidates) {
            const merged = whole.candidates.find((c) => c.service.id === candidate.service.id);
            if (merged) expect(merged.score).to.be.at.least(candidate.score);
        }
        expect(whole.candidates[0]?.score).to.be.greaterThan(withoutSentences.candidates[0]?.score as number);
    });
});
