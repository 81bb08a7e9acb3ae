import { expect } from 'chai';
import { KnowledgeEngine } from '../../knowledge/engine';
import { KnowledgeError } from '../../knowledge/errors';
import { baseForms, meaningWeights, Vocabulary } from '../../knowledge/vocabulary';
import { WordNet } from '../../knowledge/wordnet';
import { KnowledgeCopy, loadError, sampleKnowledge } from './knowledgeFixture';

describe('vocabulary: residents’ words for what the knowledge says', () => {
    describe('WordNet', () => {
        it('finds a word’s senses, most frequent first, and reads a synset’s words and kinds', () => {
            const wordnet = WordNet.load();
            const [car] = wordnet.senses('car', 'noun', 1);
            const synset = wordnet.synset('noun', car as number);
            expect(synset.words).to.include.members(['car', 'automobile']);
            const kinds = synset.hyponyms.flatMap((h) => wordnet.synset('noun', h).words);
            expect(kinds).to.include.members(['hatchback', 'convertible']);
            expect(wordnet.senses('zzzznotaword', 'noun')).to.deep.equal([]);
            // The first line of the file and the last are found like any other.
            expect(wordnet.senses('a', 'noun')).to.have.length.greaterThan(0);
            expect(wordnet.senses('zyrian', 'noun')).to.have.length.greaterThan(0);
        });
    });

    describe('meanings', () => {
        let vocabulary: Vocabulary;

        before(() => {
            vocabulary = new Vocabulary(['car', 'furniture', 'poo', 'day', 'tip'], { poo: ['crap', 'muck'] });
        });

        it('reads a council’s own synonym as its word, almost surely', () => {
            expect(vocabulary.meaningOf('crap')).to.deep.equal({ word: 'poo', weight: meaningWeights.council });
        });

        it('reads a kind of a thing the knowledge names as that thing ("hatchback" is a car)', () => {
            expect(vocabulary.meaningOf('hatchback')).to.deep.equal({ word: 'car', weight: meaningWeights.kind });
            expect(vocabulary.meaningOf('wardrobes')?.word).to.equal('furniture');
            expect(vocabulary.meaningOf('automobile')).to.deep.equal({ word: 'car', weight: meaningWeights.synonym });
        });

        it('leaves times, rare senses and unrelated words alone', () => {
            // "yesterday" is a kind of day, which says nothing about which service is meant.
            expect(vocabulary.meaningOf('yesterday')).to.equal(undefined);
            // "pinnacle" shares a synset with "tip" only in one of tip's rarer senses.
            expect(vocabulary.meaningOf('pinnacle')).to.equal(undefined);
            expect(vocabulary.meaningOf('weather')).to.equal(undefined);
        });

        it('finds the dictionary form of a word', () => {
            expect(baseForms('wardrobes')).to.include('wardrobe');
            expect(baseForms('dumped')).to.include('dump');
            expect(baseForms('dumping')).to.include('dump');
            expect(baseForms('lorries')).to.include('lorry');
        });
    });

    describe('in the engine, on the sample knowledge', () => {
        let engine: KnowledgeEngine;

        before(() => {
            engine = new KnowledgeEngine(sampleKnowledge());
        });

        const answers = (text: string) => {
            const decision = engine.route(engine.understand(text).text);
            return decision.outcome === 'answer' ? decision.service.id : `(${decision.outcome})`;
        };

        it('routes brand, slang and everyday words through the council’s synonyms and WordNet', () => {
            expect(answers('a rusty old vauxhall has been abandoned on our road for months')).to.equal(
                'abandoned-vehicle',
            );
            expect(answers('someone has abandoned a hatchback outside my house')).to.equal('abandoned-vehicle');
            expect(answers('dog crap all over the footpath by the school')).to.equal('dog-fouling');
        });

        it('reads a word the vocabulary knows as written, before correcting its spelling', () => {
            // "merc" is one slip from "mercy", but the council lists it as a car.
            expect([...engine.understand('abandoned merc on our road').text.terms.keys()]).to.include('car');
        });

        it('keeps a word the knowledge uses in its own meaning', () => {
            // "tip" is the council's tip, though WordNet's first sense is an end or point.
            expect(answers('when is the tip open')).to.equal('recycling-centre');
        });

        it('splits words run together and corrects a slip in an everyday word', () => {
            const { terms, sequence } = engine.understand('Shouls i put mybins out today?').text;
            expect(sequence).to.include.members(['should', 'my', 'bin']);
            expect([...terms.keys()]).to.include('bin');
            expect([...terms.keys()]).to.not.include('shout');
            expect(answers('flytipping behind the shops')).to.equal('fly-tipping');
        });

        it('leaves the words the phrase rules read as written', () => {
            // "crap" is read as "poo" for matching, but a safety or person phrase still sees "crap".
            expect(engine.understand('dog crap on the path').text.sequence).to.include('crap');
        });
    });

    describe('vocabulary.yaml', () => {
        let copy: KnowledgeCopy;

        beforeEach(() => {
            copy = new KnowledgeCopy();
        });

        afterEach(() => {
            copy.dispose();
        });

        it('is optional', () => {
            copy.remove('vocabulary.yaml');
            expect(copy.load().synonyms).to.deep.equal({});
        });

        it('gives the council’s synonyms to the engine', () => {
            copy.write('vocabulary.yaml', 'synonyms:\n  pothole: [craterette]\n');
            const engine = new KnowledgeEngine(copy.load());
            const decision = engine.route(engine.understand('craterette in the road').text);
            expect(decision.outcome === 'answer' && decision.service.id).to.equal('pothole');
        });

        it('names the file, line and field of a synonym for a word no service uses', () => {
            copy.write('vocabulary.yaml', 'synonyms:\n  pothole: [crater2]\n  zeppelin: [blimp]\n');
            const problems = loadError(copy).problems;
            expect(problems).to.have.length(1);
            expect(problems[0]).to.include({
                file: copy.shown('vocabulary.yaml'),
                line: 3,
                field: 'synonyms.zeppelin',
            });
            expect(problems[0]?.message).to.match(/not a word of any service/);
        });

        it('names a resident’s word listed twice, or one the services already use', () => {
            copy.write('vocabulary.yaml', 'synonyms:\n  pothole: [rutt]\n  pavement: [rutt, bin]\n');
            const problems = loadError(copy).problems;
            expect(problems.map((p) => `${p.line} ${p.field}`)).to.deep.equal([
                '3 synonyms.pavement[0]',
                '3 synonyms.pavement[1]',
            ]);
            expect(problems[0]?.message).to.match(/listed twice \(also at .*vocabulary\.yaml:2:/);
            expect(problems[1]?.message).to.match(/already a word of the services/);
        });

        it('reads a synonym of several words wherever it is said, adding to what its words say', () => {
            copy.write('vocabulary.yaml', 'synonyms:\n  broken: [gone kaput]\n');
            const engine = new KnowledgeEngine(copy.load());
            const { terms, sequence } = engine.understand('the street lights have gone kaput').text;
            // "broken" is stemmed as "break", as "breaking" is.
            expect([...terms.keys()]).to.include.members(['break', 'street', 'light']);
            expect(sequence).to.include('kaput');
        });

        it('accepts words of letters and digits only', () => {
            copy.write('vocabulary.yaml', 'synonyms:\n  pothole: [big-hole!]\n');
            const error = loadError(copy);
            expect(error).to.be.instanceOf(KnowledgeError);
            expect(error.problems[0]).to.include({ line: 2, field: 'synonyms.pothole[0]' });
            expect(error.problems[0]?.message).to.match(/words of letters and digits/);
        });
    });
});
