import { randomInt } from 'node:crypto';

/** The characters of a case reference: digits and capitals a resident cannot misread (no 0/O, 1/I/L, U). */
export const caseReferenceAlphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What a reference prefix may be: 1 to 10 capital letters or digits, starting with a letter (e.g. `ATB`). */
export const caseReferencePrefixPattern = /^[A-Z][A-Z0-9]{0,9}$/;

const referenceLength = 5;
const referencePattern = new RegExp(`^([A-Z][A-Z0-9]{0,9})-[${caseReferenceAlphabet}]{${referenceLength}}$`);

/** Makes a fresh case reference such as `ATB-7K3F9`: the prefix, a dash and 5 random unambiguous characters. */
export function createCaseReference(prefix: string, random: (max: number) => number = randomInt): string {
    // A prefix outside this shape would give references that isCaseReference rejects, so refuse it early.
    if (!caseReferencePrefixPattern.test(prefix)) {
        throw new RangeError(
            `Invalid case reference prefix "${prefix}": use 1 to 10 capital letters or digits, starting with a letter.`,
        );
    }
    let code = '';
    for (let i = 0; i < referenceLength; i++)
        code += caseReferenceAlphabet.charAt(random(caseReferenceAlphabet.length));
    return `${prefix}-${code}`;
}

/** True when `text` is exactly a case reference (with the given prefix, when one is given). */
export function isCaseReference(text: string, prefix?: string): boolean {
    const match = referencePattern.exec(text);
    return match !== null && (prefix === undefined || match[1] === prefix);
}
