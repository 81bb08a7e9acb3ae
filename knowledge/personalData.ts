/**
 * Patterns for the personal data a resident may type. Used to keep it out of logs (redaction) and out of
 * matching (a postcode or phone number says nothing about which service is wanted).
 */

// The parts are bounded (64 and 255 characters, as in RFC 5321): unbounded, every letter of a long run without an
// "@" started a scan to the run's end, so a pasted 20,000-letter word took half a second.
const email = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}.-]{1,255}\.[\p{L}]{2,}/giu;
// UK postcodes, full ("AN1 1AA", "sw1a1aa") or outward code followed by an inward code. Not the code of a case
// reference ("ATB-A42DX" looks like the postcode A4 2DX), which is not personal and must stay readable in logs.
const postcode =
    /(?<!\b[A-Z]{2,4}-(?=[2-9A-HJKMNP-TV-Z]{5}\b))\b(?:GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b/gi;
// National Insurance numbers: two letters, six digits, one letter A–D, spaces optional. Any two letters, not
// only the issued prefixes: redaction errs towards removing (HMRC's own example, QQ 12 34 56 C, is not issued).
const nationalInsurance = /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi;
// Payment card numbers: 13–19 digits, optionally grouped by spaces or hyphens.
const card = /\b(?:\d[ -]?){12,18}\d\b/g;
// UK phone numbers: +44 or 0 then 9–10 more digits, with optional spaces, hyphens or brackets.
const phone = /(?:\+44\s?\(?0?\)?|\(?\b0)(?:[\s-]?\)?[\s-]?\d){9,10}\b/g;
// A house number followed by a street name ("12 High Street", "4a mill lane"), but not a count of things on a
// road ("3 bins on my road"): the words between may not be the small words of a sentence.
const houseNumberAndStreet =
    /\b\d{1,4}[a-z]?,?\s+(?:(?!(?:on|in|at|my|our|your|their|his|her|the|a|an|of|to|for|near|by|and|or|is|are|was|were|from|outside|behind|down|up|along)\b)[\p{L}'-]+\s+){1,3}(?:street|st|road|rd|lane|ln|avenue|ave|close|cl|drive|dr|way|court|ct|crescent|cres|place|pl|gardens|gdns|grove|terrace|walk|square|sq|hill|row|mews|parade|park|view|rise|green)\b/giu;

/** The kinds of personal data recognised, in the order they are replaced (the most specific first). */
export const personalDataPatterns: ReadonlyArray<{ kind: string; pattern: RegExp }> = [
    { kind: 'email', pattern: email },
    { kind: 'card', pattern: card },
    { kind: 'nino', pattern: nationalInsurance },
    { kind: 'phone', pattern: phone },
    { kind: 'postcode', pattern: postcode },
    { kind: 'address', pattern: houseNumberAndStreet },
];

// Every pattern above needs a digit or an "@": text with neither (most of it) skips them all.
const mayHoldPersonalData = /[0-9@]/;

/** Replaces emails, card numbers, NI numbers, UK phone numbers, postcodes and house addresses with `[kind]`. */
export function redactPersonalData(text: string): string {
    if (!mayHoldPersonalData.test(text)) return text;
    let result = text;
    for (const { kind, pattern } of personalDataPatterns) {
        result = result.replace(pattern, `[${kind}]`);
    }
    return result;
}

/** Removes personal data entirely (for matching, where a placeholder would be noise). */
export function stripPersonalData(text: string): string {
    if (!mayHoldPersonalData.test(text)) return text;
    let result = text;
    for (const { pattern } of personalDataPatterns) {
        result = result.replace(pattern, ' ');
    }
    return result;
}
