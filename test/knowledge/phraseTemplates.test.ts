import { expect } from 'chai';
import { expandTemplate, maxExpansions } from '../../knowledge/phraseTemplates';

describe('expandTemplate', () => {
    const words = { partner: ['husband', 'my ex'], act: ['hit', 'threatened'] };

    it('leaves a phrase without slots as it is', () => {
        expect(expandTemplate('smell gas', words)).to.deep.equal(['smell gas']);
    });

    it('expands every combination of the named word lists', () => {
        expect(expandTemplate('{partner} {act} me', words)).to.deep.equal([
            'husband hit me',
            'husband threatened me',
            'my ex hit me',
            'my ex threatened me',
        ]);
    });

    it('names an unknown word list', () => {
        expect(() => expandTemplate('{parnter} hit me', words)).to.throw(RangeError, /unknown word list "\{parnter\}"/);
    });

    it('refuses a template that stands for too many phrases', () => {
        const many = { a: Array.from({ length: 100 }, (_, i) => `w${i}`) };
        expect(() => expandTemplate('{a} {a}', many)).to.throw(RangeError, new RegExp(`more than ${maxExpansions}`));
    });
});
