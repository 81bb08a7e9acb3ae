import Fuse from 'fuse.js';
import { expect } from 'chai';
import { englishWords } from '../../knowledge/dictionary';
import { editDistance } from '../../knowledge/editDistance';
import { defaultSpellingSettings, Normaliser, normaliseWords, vocabularyFuseOptions } from '../../knowledge/normaliser';
import { stem } from '../../knowledge/stemmer';

describe('normaliseWords', () => {
    it('drops numbers, but writes out the age a child gives, for the safety phrases', () => {
        expect(normaliseWords('flat 14, 3 bins')).to.deep.equal(['flat', 'bins']);
        expect(normaliseWords('my dad hits me and im 14')).to.deep.equal([
            ...['my', 'dad', 'hits', 'me', 'and', 'i', 'am', 'fourteen'],
        ]);
        expect(normaliseWords('aged 12')).to.deep.equal(['aged', 'twelve']);
        expect(normaliseWords('i am 45')).to.deep.equal(['i', 'am']);
    });

    it('lower-cases and drops punctuation', () => {
        expect(normaliseWords('My BIN, Please!!! (Today?)')).to.deep.equal(['my', 'bin', 'please', 'today']);
    });

    it('expands contractions, with straight or curly apostrophes or none', () => {
        expect(normaliseWords("my bin wasn't emptied")).to.deep.equal(['my', 'bin', 'was', 'not', 'emptied']);
        expect(normaliseWords('it’s gone')).to.deep.equal(['it', 'is', 'gone']);
        expect(normaliseWords('they didnt come')).to.deep.equal(['they', 'did', 'not', 'come']);
    });

    it('turns American spellings into the British ones the knowledge uses', () => {
        expect(normaliseWords('color')).to.deep.equal(['colour']);
        expect(normaliseWords('organize')).to.deep.equal(['organise']);
        expect(normaliseWords('organized an organization')).to.deep.equal(['organised', 'an', 'organisation']);
        expect(normaliseWords('trash center')).to.deep.equal(['rubbish', 'centre']);
    });

    it('leaves short words ending in -ize alone', () => {
        expect(normaliseWords('size prize')).to.deep.equal(['size', 'prize']);
    });

    it('expands text-speak', () => {
        expect(normaliseWords('can u empty ur bin pls')).to.deep.equal([
            'can',
            'you',
            'empty',
            'your',
            'bin',
            'please',
        ]);
    });

    it('removes accents', () => {
        expect(normaliseWords('Café naïve')).to.deep.equal(['cafe', 'naive']);
    });

    it('drops numbers but keeps words that contain digits', () => {
        expect(normaliseWords('I have 3 bins and 2 boxes')).to.deep.equal(['i', 'have', 'bins', 'and', 'boxes']);
        expect(normaliseWords('flat 4b')).to.deep.equal(['flat', '4b']);
        expect(normaliseWords('2day')).to.deep.equal(['today']);
    });

    it('removes email addresses, postcodes and phone numbers', () => {
        expect(
            normaliseWords('email jo.bloggs@example.com or call 07700 900123, I live at AN1 1AA near the park'),
        ).to.deep.equal(['email', 'or', 'call', 'i', 'live', 'at', 'near', 'the', 'park']);
    });
});

describe('stem', () => {
    it('folds plurals', () => {
        expect(stem('bins')).to.equal('bin');
        expect(stem('boxes')).to.equal('box');
        expect(stem('classes')).to.equal('class');
    });

    it('turns -ies and -ied into -y', () => {
        expect(stem('parties')).to.equal('party');
        expect(stem('emptied')).to.equal('empty');
    });

    it('removes -ed and -ing so the forms of a verb meet', () => {
        expect(stem('collected')).to.equal('collect');
        expect(stem('collecting')).to.equal('collect');
        expect(stem('collects')).to.equal('collect');
    });

    it('undoes a doubled consonant, but not a double l or s', () => {
        expect(stem('stopped')).to.equal('stop');
        expect(stem('running')).to.equal('run');
        expect(stem('filled')).to.equal('fill');
        expect(stem('missed')).to.equal('miss');
    });

    it('leaves short words and words ending in -us or -ss alone', () => {
        expect(stem('bus')).to.equal('bus');
        expect(stem('tax')).to.equal('tax');
        expect(stem('address')).to.equal('address');
    });
});

describe('Normaliser.analyse', () => {
    it('corrects at most lookupsPerMessage unknown words in one message, then takes words as typed', () => {
        const words = ['parking', 'permit', 'recycling', 'garden', 'council', 'housing'];
        // Distinct typos of known words: one changed letter after the first three.
        const typos = words.flatMap((w) => ['x', 'q', 'z'].map((letter) => `${w.slice(0, 3)}${letter}${w.slice(4)}`));
        const settings = { ...defaultSpellingSettings, lookupsPerMessage: 10 };
        const analysed = new Normaliser(words, new Set(), settings).analyse(typos.join(' '));
        const corrected = [...analysed.terms.values()].filter((weight) => weight < 1);
        expect(corrected.length).to.be.within(1, 10);
        expect(analysed.unrecognised.size).to.be.at.least(typos.length - 10);
        // A fresh message has a fresh budget.
        const again = new Normaliser(words, new Set(), settings).analyse(typos.slice(-1).join(' '));
        expect([...again.terms.values()].every((weight) => weight < 1)).to.equal(true);
    });

    const vocabulary = ['recycling', 'bin', 'bins', 'broke', 'water', 'rubbish', 'collected'];

    it('corrects a misspelt word to the nearest vocabulary word, with a weight below 1', () => {
        const analysed = new Normaliser(vocabulary).analyse('recylcing');

        expect(analysed.sequence).to.deep.equal([stem('recycling')]);
        expect([...analysed.terms.keys()]).to.deep.equal([stem('recycling')]);
        const weight = analysed.terms.get(stem('recycling')) as number;
        expect(weight).to.be.lessThan(1);
        expect(weight).to.be.closeTo(1 - 1 / 'recylcing'.length, 1e-9);
        expect([...analysed.unrecognised]).to.deep.equal([]);
    });

    it('gives a correctly spelt vocabulary word weight 1', () => {
        const analysed = new Normaliser(vocabulary).analyse('Recycling');

        expect([...analysed.terms]).to.deep.equal([[stem('recycling'), 1]]);
    });

    it('does not correct a word from the dictionary of common English words', () => {
        const withoutDictionary = new Normaliser(vocabulary).analyse('brake');
        const withDictionary = new Normaliser(vocabulary, new Set(['brake', 'joke', 'weather'])).analyse('brake');

        // Without the dictionary "brake" is taken for a typo of "broke"; with it, it is a word in its own right.
        expect(withoutDictionary.sequence).to.deep.equal([stem('broke')]);
        expect(withDictionary.sequence).to.deep.equal([stem('brake')]);
        expect(withDictionary.terms.get(stem('brake'))).to.equal(1);
        // An English word is meant, so it is not noise either.
        expect([...withDictionary.unrecognised]).to.deep.equal([]);
    });

    it('does not turn "joke" into "broke" or "weather" into "water" with the shipped English word list', () => {
        const normaliser = new Normaliser(vocabulary, englishWords());

        expect(normaliser.analyse('joke').sequence).to.deep.equal([stem('joke')]);
        expect(normaliser.analyse('weather').sequence).to.deep.equal(['weather']);
        expect([...normaliser.analyse('weather joke').terms]).to.deep.equal([
            ['weather', 1],
            [stem('joke'), 1],
        ]);
        // Without the word list, "weather" is two edits from "water" and would be corrected.
        expect(new Normaliser(vocabulary).analyse('weather').sequence).to.deep.equal(['water']);
    });

    it('does not correct words shorter than the minimum length', () => {
        const analysed = new Normaliser(vocabulary).analyse('bim');

        expect(analysed.sequence).to.deep.equal(['bim']);
        expect([...analysed.unrecognised]).to.deep.equal(['bim']);
        // A four-letter word one edit away is corrected.
        expect(new Normaliser(vocabulary).analyse('binz').sequence).to.deep.equal(['bin']);
    });

    it('only corrects to a word with the same first letter', () => {
        const normaliser = new Normaliser(vocabulary);

        expect(normaliser.analyse('tubbish').sequence).to.deep.equal(['tubbish']);
        expect([...normaliser.analyse('tubbish').unrecognised]).to.deep.equal(['tubbish']);
        expect(normaliser.analyse('rubbsh').sequence).to.deep.equal(['rubbish']);
    });

    it('marks a word that is neither in the vocabulary, nor close to it, nor English as unrecognised', () => {
        const analysed = new Normaliser(vocabulary, new Set(['dentist'])).analyse('dentist in Llanfair bin');

        expect([...analysed.terms.keys()]).to.deep.equal(['dentist', 'llanfair', 'bin']);
        expect([...analysed.unrecognised]).to.deep.equal(['llanfair']);
    });

    it('keeps stop words in the sequence but not in the terms', () => {
        const analysed = new Normaliser(vocabulary).analyse('Where is my bin?');

        expect(analysed.sequence).to.deep.equal([stem('where'), 'is', 'my', 'bin']);
        expect([...analysed.terms.keys()]).to.deep.equal(['bin']);
        expect([...analysed.unrecognised]).to.deep.equal([]);
    });

    it('keeps the surest spelling when a word appears exact and misspelt', () => {
        const analysed = new Normaliser(vocabulary).analyse('recylcing recycling');

        expect(analysed.terms.get(stem('recycling'))).to.equal(1);
    });
});

describe('vocabularyFuseOptions', () => {
    it('sets every option Fuse has, so no default is inherited', () => {
        expect(Object.keys(vocabularyFuseOptions).sort()).to.deep.equal(Object.keys(Fuse.config).sort());
    });
});

describe('editDistance', () => {
    it('counts a swap of two neighbouring letters as one edit', () => {
        expect(editDistance('recylcing', 'recycling')).to.equal(1);
        expect(editDistance('ab', 'ba')).to.equal(1);
    });

    it('counts insertions, deletions and substitutions', () => {
        expect(editDistance('kitten', 'sitting')).to.equal(3);
        expect(editDistance('', 'bin')).to.equal(3);
        expect(editDistance('bin', 'bin')).to.equal(0);
    });

    it('stops early and returns more than the maximum when the words are further apart', () => {
        expect(editDistance('abcdef', 'uvwxyz')).to.equal(6);
        expect(editDistance('abcdef', 'uvwxyz', 2)).to.equal(3);
        expect(editDistance('a', 'abcdef', 2)).to.equal(3);
    });

    it('returns the exact distance when it is within the maximum', () => {
        expect(editDistance('rubbsh', 'rubbish', 2)).to.equal(1);
    });
});
