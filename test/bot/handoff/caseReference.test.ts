import { expect } from 'chai';
import { caseReferenceAlphabet, createCaseReference, isCaseReference } from '../../../bot/handoff/caseReference';

describe('case references', () => {
    it('are the prefix, a dash and 5 characters from the unambiguous alphabet', () => {
        for (let i = 0; i < 500; i++) {
            const reference = createCaseReference('ATB');
            expect(reference).to.match(/^ATB-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}$/);
            expect(isCaseReference(reference, 'ATB')).to.equal(true);
        }
    });

    it('never use characters a resident could misread', () => {
        expect(caseReferenceAlphabet).to.not.match(/[01OILU]/);
        expect(new Set(caseReferenceAlphabet).size).to.equal(caseReferenceAlphabet.length);
    });

    it('take their characters from the random source', () => {
        const picks = [0, 1, 2, 28, 29];
        expect(createCaseReference('X', () => picks.shift() ?? 0)).to.equal('X-234YZ');
    });

    it('refuse a prefix that would make an unrecognisable reference', () => {
        for (const prefix of ['', 'atb', 'A-B', 'ABCDEFGHIJK', '1AB']) {
            expect(() => createCaseReference(prefix), prefix).to.throw(RangeError, /prefix/);
        }
    });

    it('are recognised only in their exact form', () => {
        expect(isCaseReference('ATB-7K3F9')).to.equal(true);
        expect(isCaseReference('ATB-7K3F9', 'ATB')).to.equal(true);
        expect(isCaseReference('ATB-7K3F9', 'XYZ')).to.equal(false);
        for (const text of [
            'atb-7k3f9',
            'ATB-7K3F',
            'ATB-7K3F99',
            'ATB-7K3F0',
            'ATB7K3F9',
            ' ATB-7K3F9',
            'ATB-OK3F9',
        ]) {
            expect(isCaseReference(text), text).to.equal(false);
        }
    });
});
