/**
 * Patterns for the personal data a resident may type. Used to keep it out of logs (redaction) and out of
 * matching (a postcode or phone number says nothing about which service is wanted), and to mask the secrets a
 * resident should never have typed (card numbers, security codes, NI numbers) before a message is stored.
 */

// Between the parts of a number: up to four spaces, tabs, dashes of any kind ("-", "–", "−") or dots, as residents
// type them ("07700 900123", "SW1A  1AA", "AB.12.34.56.C"), and invisible characters (a zero-width space pasted
// between the groups would otherwise hide a number). Never a digit or letter, so the parts of a number split one
// way only and a failed match costs a bounded number of steps: the patterns stay linear in the length of the text.
const gapCharacter = String.raw`[\s\p{Pd}\p{Cf}\u2212.]`;
const gap = `${gapCharacter}{0,4}`;
// Card numbers are also grouped by slashes ("4111/1111/1111/1111"). Not phone numbers: "01/05/2026-08" would be one.
const cardGapCharacter = String.raw`[\s\p{Pd}\p{Cf}\u2212./]`;
const cardGap = `${cardGapCharacter}{0,4}`;

const day = '(?:0?[1-9]|[12][0-9]|3[01])';
const month = '(?:0?[1-9]|1[0-2])';
// A date, day first ("12/05/2026", "1.5.26") or year first ("2026-05-12"). The card and phone patterns read it first,
// in their group `kept`, and leave it as it is: otherwise a range "12/11/2026-19/11/2026" is 16 digits, a card, and
// "01.05.2026-08.05.2026" starts with a phone number.
const date = String.raw`\b(?:${day}[./-]${month}[./-](?:[0-9]{4}|[0-9]{2})|[0-9]{4}[./-]${month}[./-]${day})\b`;

// The parts are bounded (64 and 255 characters, as in RFC 5321): unbounded, every letter of a long run without an
// "@" started a scan to the run's end, so a pasted 20,000-letter word took half a second.
const email = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}.-]{1,255}\.[\p{L}]{2,}/giu;
// UK postcodes, full ("AN1 1AA", "sw1a1aa", "SW1A-1AA") or outward code followed by an inward code. Not the code of a
// case reference ("ATB-A42DX" looks like the postcode A4 2DX), which is not personal and must stay readable in logs:
// any prefix a reference may have (1–10 letters or digits, starting with a letter), then exactly 5 characters of the
// reference alphabet. A hyphenated postcode never looks like a reference: its inward code is 3 characters, not 5.
const postcode = new RegExp(
    String.raw`(?<!\b[A-Z][A-Z0-9]{0,9}-(?=[2-9A-HJKMNP-TV-Z]{5}\b))\b(?:GIR${gap}0AA|[A-Z]{1,2}[0-9][A-Z0-9]?${gap}[0-9][A-Z]{2})\b`,
    'giu',
);
// National Insurance numbers: two letters, six digits, one letter A–D, with or without gaps ("AB-12-34-56-A"). Any
// two letters, not only the issued prefixes: redaction errs towards removing (HMRC's own example, QQ 12 34 56 C, is
// not issued). The last two digits and the letter are captured for `maskSecrets`.
const nationalInsurance = new RegExp(
    String.raw`\b[A-Z]{2}${gap}[0-9]{2}${gap}[0-9]{2}${gap}([0-9]{2})${gap}([A-D])\b`,
    'giu',
);
// Payment card numbers: 13–19 digits, grouped or not. No Luhn check: redaction errs towards removing. Not a number
// starting with 0 (no card does, and "0044 7700 900987" is a phone number) or with 44 after a "+" ("+44 07700 …").
const card = new RegExp(String.raw`(?<kept>${date})|\b(?!0|(?<=\+)44)[0-9](?:${cardGap}[0-9]){12,18}\b`, 'gu');
// Between the digits of a phone number: a gap, or one bracket closing an area code ("(01632) 960000"). The two are
// alternatives, not one optional bracket between two gaps, so a gap splits one way only (see `gap`).
const phoneGap = String.raw`(?:${gapCharacter}{0,3}\)${gapCharacter}{0,3}|${gap})`;
// UK phone numbers: 0 then 9–10 more digits, or the country code (+44, 0044 or a bare 44, with or without "(0)")
// then 9–10 digits.
const phone = new RegExp(
    String.raw`(?<kept>${date})|(?:(?:\+|\b00|\b)44(?:${gap}\(?0\)?)?|\(?\b0)(?:${phoneGap}[0-9]){9,10}\b`,
    'gu',
);
// A house number followed by a street name ("12 High Street", "4a mill lane"), but not a count of things on a
// road ("3 bins on my road"): the words between may not be the small words of a sentence.
const houseNumberAndStreet =
    /\b\d{1,4}[a-z]?,?\s+(?:(?!(?:on|in|at|my|our|your|their|his|her|the|a|an|of|to|for|near|by|and|or|is|are|was|were|from|outside|behind|down|up|along)\b)[\p{L}'-]+\s+){1,3}(?:street|st|road|rd|lane|ln|avenue|ave|close|cl|drive|dr|way|court|ct|crescent|cres|place|pl|gardens|gdns|grove|terrace|walk|square|sq|hill|row|mews|parade|park|view|rise|green)\b/giu;

/**
 * The kinds of personal data recognised, in the order they are replaced (the most specific first). A match of a
 * pattern's group `kept` (a date) is not personal data and is left as it is.
 */
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

/** Replaces each match of `pattern` with `replacement`, except a match of its group `kept`. */
function replaceMatches(text: string, pattern: RegExp, replacement: string): string {
    return text.replace(pattern, (match: string, ...rest: unknown[]) => {
        // With named groups, the last argument is the groups; without, it is the whole text (which has no `kept`).
        const groups = rest[rest.length - 1] as { kept?: string };
        return groups.kept === undefined ? replacement : match;
    });
}

/** Replaces emails, card numbers, NI numbers, UK phone numbers, postcodes and house addresses with `[kind]`. */
export function redactPersonalData(text: string): string {
    if (!mayHoldPersonalData.test(text)) return text;
    let result = text;
    for (const { kind, pattern } of personalDataPatterns) {
        result = replaceMatches(result, pattern, `[${kind}]`);
    }
    return result;
}

/** Removes personal data entirely (for matching, where a placeholder would be noise). */
export function stripPersonalData(text: string): string {
    if (!mayHoldPersonalData.test(text)) return text;
    let result = text;
    for (const { pattern } of personalDataPatterns) {
        result = replaceMatches(result, pattern, ' ');
    }
    return result;
}

// Masking: what a resident types is masked before it is kept anywhere (conversation state, transcripts, cases,
// deliveries, logs, insight), and the rest of the message must reach the adviser as typed. So, unlike redaction,
// masking does not err towards removing: a card number is masked only when it passes the Luhn check, and a long
// reference number is left alone.

/** What `maskSecrets` returns: the text with secrets masked, and how many of each it masked. */
export interface MaskedSecrets {
    readonly text: string;
    /** Card numbers masked, so the bot can tell the resident not to type card details. */
    readonly cards: number;
    /** National Insurance numbers masked. */
    readonly nationalInsurance: number;
}

// Digits joined by card gaps: where a card number may be. Not straight after a letter ("REF4111…" is a reference). A
// date is read first and skipped, so a date range is never taken for a card.
const numberRun = new RegExp(
    String.raw`(?<kept>${date})|(?<![\p{L}\p{N}_])[0-9]+(?:${cardGapCharacter}{1,4}[0-9]+)*`,
    'gu',
);

// How residents name a card's security code: "CVV", "CVC2", "CV2", "CSC", "CID" (American Express), "security code",
// "3 digits on the back".
const securityCodeLabel = String.raw`\b(?:cvv2?|cvc2?|cv2|csc|cid|(?:card\s{1,3})?(?:security|verification)\s{1,3}(?:code|number|no\b\.?|digits|value)|(?:3|4|three|four)[\s-]?digits?(?:\s{1,3}(?:number|code))?\s{1,3}(?:on|at|from)\s{1,3}(?:the\s{1,3})?back(?:\s{1,3}of\s{1,3}(?:the\s{1,3}|my\s{1,3})?card)?)`;
// Vaguer names, read as a security code only in a message that has a card number ("the code is 123").
const cardCodeLabel = String.raw`\b(?:(?:sec\s{1,3})?code|(?:numbers?|digits)\s{1,3}on\s{1,3}(?:the\s{1,3})?back(?:\s{1,3}of\s{1,3}(?:the\s{1,3}|my\s{1,3})?card)?)\b`;
// How residents name an expiry date: "exp", "exp.", "expiry date", "expires", "valid thru".
const expiryLabel = String.raw`\b(?:exp(?:iry|ires?|iring|iration)?(?:\s{1,3}date)?|(?:valid|good)\s{1,3}(?:thru|through|until|till|to)|end\s{1,3}date)\b\.?`;
// Between a label and its value: "cvv: 123", "cvv number is 123", "the 3 digits on the back are 123".
const labelToValue = String.raw`(?:[\s:=#.,-]{0,3}(?:is|are|was|were|number|no|date|of)\b){0,2}[\s:=#.-]{0,3}`;
// A security code: 3 digits (4 for American Express), not part of a longer number.
const codeValue = String.raw`[0-9]{3,4}(?![0-9]|[/.,-][0-9])`;
// An expiry date: month and year ("12/27", "12/2027", "1-27"), or, after a label, a month's name ("Dec 27").
const expiryValue = String.raw`(?:0?[1-9]|1[0-2])\s{0,2}[/.-]\s{0,2}(?:20[0-9]{2}|[0-9]{2})(?![0-9]|[/.-][0-9])`;
const expiryMonthName = String.raw`\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s{0,2}(?:20[0-9]{2}|[0-9]{2})(?![0-9])`;
const anyLabel = `(?:${securityCodeLabel}|${cardCodeLabel}|${expiryLabel})`;
// One expiry date or security code beside a card number, labelled or not, after a comma or "and" ("4111… 12/27 123",
// "4111…, expiry 12/2027, security code 123", "4111… cvc:123", "4111… and the cvv is 123"). Sticky: read from where
// the card number, or the last expiry or code read, ends.
const besideCard = new RegExp(
    String.raw`[\s,;:&-]{0,4}(?:and\s{1,3})?(?:(?:the|my|its|it['’]s)\s{1,3})?(?:${anyLabel}${labelToValue}(?:${expiryValue}|${expiryMonthName}|${codeValue})|${expiryValue}|${codeValue})`,
    'iuy',
);
// The most expiry dates and security codes dropped after one card: an expiry, a code, and one spare.
const mostBesideCard = 3;
// A labelled security code anywhere in a message; and, in a message with a card number, also a vaguely labelled code
// or a labelled expiry date. The label stays, so the sentence still reads: "my cvv is [security code removed]".
const labelledSecurityCode = new RegExp(String.raw`(?<label>${securityCodeLabel}${labelToValue})${codeValue}`, 'giu');
const labelledCardCode = new RegExp(
    String.raw`(?<label>(?:${securityCodeLabel}|${cardCodeLabel})${labelToValue})${codeValue}`,
    'giu',
);
const labelledExpiry = new RegExp(
    String.raw`(?<label>${expiryLabel}${labelToValue})(?:${expiryValue}|${expiryMonthName})`,
    'giu',
);

/** True when `digits` passes the Luhn check every payment card number passes (1 in 10 other numbers do too). */
function passesLuhn(digits: string): boolean {
    let sum = 0;
    for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
        let digit = digits.charCodeAt(i) - 48;
        if (double) digit = digit > 4 ? digit * 2 - 9 : digit * 2;
        sum += digit;
    }
    return sum % 10 === 0;
}

interface FoundCard {
    readonly start: number;
    readonly lastFour: string;
    /** Where the card's run of digits ends, or the digits before the next card in the run. */
    readonly runEnd: number;
}

/**
 * The card numbers in `text`: in each run of digits and gaps, from its first group of digits on, the shortest run of
 * whole groups (13–19 digits, not starting with 0) that passes the Luhn check. Whole groups, because a card is typed
 * in groups and a code after it is a group of its own ("4111 1111 1111 1111 123"). The shortest, because a longer
 * run may take in that code, and showing it as the card's last four digits would keep it.
 */
function findCards(text: string): FoundCard[] {
    const cards: FoundCard[] = [];
    for (const run of text.matchAll(numberRun)) {
        if (run.groups?.kept !== undefined) continue;
        const runStart = run.index ?? 0;
        const groups = [...run[0].matchAll(/[0-9]+/g)].map((g) => {
            const start = runStart + (g.index ?? 0);
            return { digits: g[0], start, end: start + g[0].length };
        });
        const inRun: { first: number; lastFour: string }[] = [];
        // After a "+" comes a country code, not a card.
        for (let first = text[runStart - 1] === '+' ? 1 : 0; first < groups.length; first++) {
            const firstGroup = groups[first];
            if (!firstGroup || firstGroup.digits.startsWith('0')) continue;
            let digits = '';
            for (let last = first; last < groups.length && digits.length < 19; last++) {
                const group = groups[last] as (typeof groups)[number];
                digits += group.digits;
                if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) {
                    inRun.push({ first, lastFour: digits.slice(-4) });
                    first = last;
                    break;
                }
            }
        }
        // The digits after a card in its run are its own (a 19-digit card read as 16), its expiry and its code
        // ("4111111111111111 12/27 123"): they go with it, up to the next card.
        inRun.forEach((card, i) => {
            const before = inRun[i + 1]?.first ?? groups.length;
            const start = (groups[card.first] as (typeof groups)[number]).start;
            const runEnd = (groups[before - 1] as (typeof groups)[number]).end;
            cards.push({ start, lastFour: card.lastFour, runEnd });
        });
    }
    return cards;
}

/** How many characters at the start of `after` are expiry dates and security codes beside a card number. */
function besideCardLength(after: string): number {
    let length = 0;
    for (let i = 0; i < mostBesideCard; i++) {
        besideCard.lastIndex = length;
        if (!besideCard.test(after)) break;
        length = besideCard.lastIndex;
    }
    return length;
}

/** What a masked card number reads as: `[card ending 1111]`. */
const cardMask = (lastFour: string) => `[card ending ${lastFour}]`;
const cardMasks = /\[card ending [0-9]{4}\]/g;

/**
 * How many masked card numbers `text` holds: the built-in Direct Line masks a message before it keeps it, so the
 * bot learns from the masks that the resident typed card numbers.
 */
export function countMaskedCards(text: string): number {
    return text.match(cardMasks)?.length ?? 0;
}

/**
 * Masks the secrets in what a resident typed, before it is kept anywhere:
 * - a payment card number (13–19 digits, any gaps, Luhn-checked) becomes `[card ending 1111]`, its last four digits;
 * - an expiry date or security code beside it ("4111… exp 12/27 cvv 123") is dropped with no placeholder: the card's
 *   mask already says card details were given, and PCI DSS forbids keeping a security code in any form;
 * - a labelled security code anywhere ("my cvv is 123", "the 3 digits on the back are 123") becomes
 *   `[security code removed]`, its label kept so the sentence reads; in a message with a card number, also a vaguer
 *   one ("the code is 123") and a labelled expiry date (`[expiry date removed]`);
 * - a National Insurance number (any gaps) becomes `[NI number ending 56 C]`, its last two digits and letter, so an
 *   adviser can confirm it with the resident without the whole number being kept.
 * Text with none of these (all text without a digit) is returned as it was.
 */
export function maskSecrets(text: string): MaskedSecrets {
    if (!/[0-9]/.test(text)) return { text, cards: 0, nationalInsurance: 0 };
    const cards = findCards(text);
    let result = text;
    if (cards.length > 0) {
        let masked = '';
        let from = 0;
        cards.forEach((card, i) => {
            masked += `${text.slice(from, card.start)}${cardMask(card.lastFour)}`;
            // What follows, up to the next card, so a code is never read from the next card's first group.
            from = card.runEnd + besideCardLength(text.slice(card.runEnd, cards[i + 1]?.start ?? text.length));
        });
        result = masked + text.slice(from);
        result = result.replace(labelledCardCode, (_match, label: string) => `${label}[security code removed]`);
        result = result.replace(labelledExpiry, (_match, label: string) => `${label}[expiry date removed]`);
    } else {
        result = result.replace(labelledSecurityCode, (_match, label: string) => `${label}[security code removed]`);
    }
    let nationalInsuranceNumbers = 0;
    result = result.replace(nationalInsurance, (_match, pair: string, letter: string) => {
        nationalInsuranceNumbers++;
        return `[NI number ending ${pair} ${letter.toUpperCase()}]`;
    });
    return { text: result, cards: cards.length, nationalInsurance: nationalInsuranceNumbers };
}
