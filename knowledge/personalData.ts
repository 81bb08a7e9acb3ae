/**
 * Patterns for the personal data a resident may type. Used to keep it out of logs (redaction) and out of
 * matching (a postcode or phone number says nothing about which service is wanted), and to mask the secrets a
 * resident should never have typed (card numbers, security codes, NI numbers) before a message is stored.
 */

// Digits in other scripts. A card or NI number typed in fullwidth ("４１１１ …") or Arabic-Indic ("٤١١١ …") digits is
// still one, so before looking for personal data every decimal digit (Unicode \p{Nd}) becomes its ASCII digit, and
// fullwidth letters and punctuation ("ＡＢ１２…", "＠") their ASCII forms. Unicode encodes decimal digits in
// contiguous runs of ten, 0 to 9 (a stability guarantee), and runs next to each other start on a 0, so a digit's value
// is its distance from the start of its block of digits, modulo 10.
const otherDigitOrFullwidth = String.raw`[^\P{Nd}0-9]|[\uFF01-\uFF5E]`;
const hasOtherDigitOrFullwidth = new RegExp(otherDigitOrFullwidth, 'u');
const otherDigitsOrFullwidth = new RegExp(otherDigitOrFullwidth, 'gu');
const isDecimalDigit = /^\p{Nd}$/u;
const digitValues = new Map<number, string>();

/** The ASCII digit of a Unicode decimal digit, by its distance from the start of its block. */
function digitValue(codePoint: number): string {
    let value = digitValues.get(codePoint);
    if (value === undefined) {
        let zero = codePoint;
        while (isDecimalDigit.test(String.fromCodePoint(zero - 1))) zero--;
        value = String((codePoint - zero) % 10);
        digitValues.set(codePoint, value);
    }
    return value;
}

/**
 * `text` with every Unicode decimal digit as its ASCII digit and fullwidth ASCII (U+FF01–U+FF5E) as ASCII; the same
 * string when it has neither. Digits of other kinds (superscripts, circled or Roman numerals) are left as they are.
 */
export function asciiDigits(text: string): string {
    if (!hasOtherDigitOrFullwidth.test(text)) return text;
    return text.replace(otherDigitsOrFullwidth, asciiCharacter);
}

function asciiCharacter(character: string): string {
    const codePoint = character.codePointAt(0) as number;
    return codePoint >= 0xff01 && codePoint <= 0xff5e ? String.fromCharCode(codePoint - 0xfee0) : digitValue(codePoint);
}

// Between the parts of a number: up to four spaces, tabs, dashes of any kind ("-", "–", "−") or dots, as residents
// type them ("07700 900123", "SW1A  1AA", "AB.12.34.56.C"), and invisible characters (a zero-width space pasted
// between the groups would otherwise hide a number). Never a digit or letter, so the parts of a number split one
// way only and a failed match costs a bounded number of steps: the patterns stay linear in the length of the text.
const gapCharacter = String.raw`[\s\p{Pd}\p{Cf}\u2212.]`;
const gap = `${gapCharacter}{0,4}`;
// Between the groups of a card number: anything that is not a letter or digit, as residents type and paste them
// ("5555,5555,5555,4444", "4111_1111…", "(4111) (1111)…", "4111*1111…", "4111+1111…", a new line or several spaces),
// up to 8 characters, so that numbers further apart are not joined. Not a currency sign, "%" or "@": they start or end
// an amount, a percentage or an email address. Never a digit or letter, so a run of groups splits one way only.
const cardSeparatorCharacter = String.raw`[^\p{L}\p{N}\p{M}\p{Sc}%@]`;
const cardSeparator = `${cardSeparatorCharacter}{1,8}`;
// The gaps of a card number before separators were widened: spaces, dashes, dots, slashes, invisible characters.
const tightGap = new RegExp(String.raw`^[\s\p{Pd}\p{Cf}\u2212./]+$`, 'u');

const day = '(?:0?[1-9]|[12][0-9]|3[01])';
const month = '(?:0?[1-9]|1[0-2])';
// A date, day first ("12/05/2026", "1.5.26") or year first ("2026-05-12"). The card and phone patterns read it first,
// in their group `kept`, and leave it as it is: otherwise a range "12/11/2026-19/11/2026" is 16 digits, a card, and
// "01.05.2026-08.05.2026" starts with a phone number.
const date = String.raw`\b(?:${day}[./-]${month}[./-](?:[0-9]{4}|[0-9]{2})|[0-9]{4}[./-]${month}[./-]${day})\b`;
// A time with a colon ("10:30", "9:00"): like a date, read first and kept, so a list of times is not a card number.
const time = String.raw`\b(?:[01]?[0-9]|2[0-3]):[0-5][0-9]\b`;
// What `maskSecrets` left: read as a whole and kept, so masking or redacting it again changes nothing (its four
// digits would otherwise start a run with the digits after it).
const masks = String.raw`\[card ending [0-9]{4}\]|\[NI number ending [0-9]{2}(?: [A-D])?\]`;

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
// National Insurance numbers: two letters, six digits, one letter A–D, with or without gaps ("AB-12-34-56-A"), in any
// case. Any two letters, not only the issued prefixes: redaction errs towards removing (HMRC's own example, QQ 12 34 56
// C, is not issued). Also without the final letter, which residents often leave off ("AB123456", "AB 12 34 56"): then
// the two letters are capitals or touch the digits ("ab123456"), so a word before a number ("is 123456", "my 12 34 56")
// is not read as one. A postcode ("AB12 3CD") or vehicle registration ("AB12 CDE") has letters after its second or
// third digit, so is never one. The last two digits, and the letter if any, are captured for `maskSecrets`.
const nationalInsurance = new RegExp(
    String.raw`\b(?:[A-Za-z]{2}${gap}[0-9]{2}${gap}[0-9]{2}${gap}(?<pair>[0-9]{2})${gap}(?<letter>[A-Da-d])|(?:[A-Z]{2}${gap}|[A-Za-z]{2})[0-9]{2}${gap}[0-9]{2}${gap}(?<lastPair>[0-9]{2}))\b`,
    'gu',
);
// Between the digits of a phone number: a gap, or one bracket closing an area code ("(01632) 960000"). The two are
// alternatives, not one optional bracket between two gaps, so a gap splits one way only (see `gap`).
const phoneGap = String.raw`(?:${gapCharacter}{0,3}\)${gapCharacter}{0,3}|${gap})`;
// UK phone numbers: 0 then 9–10 more digits, or the country code (+44, 0044 or a bare 44, with or without "(0)")
// then 9–10 digits.
const phoneDigits = String.raw`(?:${phoneGap}[0-9]){9,10}\b`;
const phone = new RegExp(
    String.raw`(?<kept>${date})|(?:(?:\+|\b00|\b)44(?:${gap}\(?0\)?)?|\(?\b0)${phoneDigits}`,
    'gu',
);
// A phone number where a card number may start: read first and kept, so that a list of phone numbers is not one long
// card number. After 0, +44 or 0044, where no card number starts; after a bare 44 (where a card may: "4485 1234 5678
// 9012" starts like 44 8512 345678) only with no more digits after it, and its "(0)" apart ("44 07700 …", "44(0)…"):
// "4401665844391", 13 digits, is a card.
const keptPhone = String.raw`(?:(?:\+|\b00)44(?:${gap}\(?0\)?)?|\(?\b0)${phoneDigits}|\b44(?:${gapCharacter}{1,4}\(?0\)?|\(0\))?${phoneDigits}(?!${cardSeparator}[0-9])`;
// Where a group of digits joins a run (see `cardSeparator`): not at a date or time, and not at a UK phone number after
// a short number (1–3 digits) and a separator other than spaces, dashes, dots and slashes ("Flat 12, 07700 900123").
// No card is typed so: its first groups have 4 digits or more, and a shorter group is its last.
const looseSeparatorCharacter = String.raw`[^\p{L}\p{N}\p{M}\p{Sc}%@\s\p{Pd}\p{Cf}\u2212./]`;
const afterShortNumber = String.raw`(?<=(?<![0-9])[0-9]{1,3}${cardSeparatorCharacter}{0,7}${looseSeparatorCharacter}${cardSeparatorCharacter}{0,7})`;
const phoneAtDigit = String.raw`(?:(?<=\+)44(?:${gap}\(?0\)?)?|0044(?:${gap}\(?0\)?)?|0(?=[1-9]))${phoneDigits}`;
const groupJoins = String.raw`(?!${date}|${time}|${afterShortNumber}${phoneAtDigit})`;
// Payment card numbers: 13 digits or more, grouped or not, and all the digits after them in their run (a code or
// expiry typed with them). No Luhn check: redaction errs towards removing. After letters too ("card4111…"). Not a
// number starting with 0 (no card does, and "0044 7700 900987" is a phone number) or with 44 after a "+".
const card = new RegExp(
    String.raw`(?<kept>${date}|${time}|${masks}|${keptPhone})|(?<![0-9])(?!0|(?<=\+)44)[0-9](?:(?:${cardSeparator}${groupJoins})?[0-9]){12,}`,
    'gu',
);
// A house number followed by a street name ("12 High Street", "4a mill lane"), but not a count of things on a
// road ("3 bins on my road"): the words between may not be the small words of a sentence.
const houseNumberAndStreet =
    /\b\d{1,4}[a-z]?,?\s+(?:(?!(?:on|in|at|my|our|your|their|his|her|the|a|an|of|to|for|near|by|and|or|is|are|was|were|from|outside|behind|down|up|along)\b)[\p{L}'-]+\s+){1,3}(?:street|st|road|rd|lane|ln|avenue|ave|close|cl|drive|dr|way|court|ct|crescent|cres|place|pl|gardens|gdns|grove|terrace|walk|square|sq|hill|row|mews|parade|park|view|rise|green)\b/giu;

/**
 * The kinds of personal data recognised, in the order they are replaced (the most specific first: an NI number before
 * the card numbers, so its digits never start a card's run). A match of a pattern's group `kept` (a date, a time, a
 * phone number read where a card number may start, a mask) is left as it is.
 */
export const personalDataPatterns: ReadonlyArray<{ kind: string; pattern: RegExp }> = [
    { kind: 'email', pattern: email },
    { kind: 'nino', pattern: nationalInsurance },
    { kind: 'card', pattern: card },
    { kind: 'phone', pattern: phone },
    { kind: 'postcode', pattern: postcode },
    { kind: 'address', pattern: houseNumberAndStreet },
];

// Every pattern above needs a digit or an "@" (in any script: see `asciiDigits`): text with neither (most of it)
// skips them all.
const mayHoldPersonalData = /[\p{Nd}@\uFF20]/u;

/** Replaces each match of `pattern` with `replacement`, except a match of its group `kept`. */
function replaceMatches(text: string, pattern: RegExp, replacement: string): string {
    return text.replace(pattern, (match: string, ...rest: unknown[]) => {
        // With named groups, the last argument is the groups; without, it is the whole text (which has no `kept`).
        const groups = rest[rest.length - 1] as { kept?: string };
        return groups.kept === undefined ? replacement : match;
    });
}

/** Every match of the patterns replaced by `replacement(kind)`; `text` itself when nothing was. */
function replacePersonalData(text: string, replacement: (kind: string) => string): string {
    if (!mayHoldPersonalData.test(text)) return text;
    const ascii = asciiDigits(text);
    let result = ascii;
    for (const { kind, pattern } of personalDataPatterns) {
        result = replaceMatches(result, pattern, replacement(kind));
    }
    // Digits in another script stay as typed when nothing was replaced.
    return result === ascii ? text : result;
}

/**
 * Replaces emails, card numbers, NI numbers, UK phone numbers, postcodes and house addresses with `[kind]`. Digits in
 * any script are read (and, when something is replaced, returned as ASCII digits).
 */
export function redactPersonalData(text: string): string {
    return replacePersonalData(text, (kind) => `[${kind}]`);
}

/** Removes personal data entirely (for matching, where a placeholder would be noise). */
export function stripPersonalData(text: string): string {
    return replacePersonalData(text, () => ' ');
}

// Masking: what a resident types is masked before it is kept anywhere (conversation state, transcripts, cases,
// deliveries, logs, insight), and the rest of the message must reach the adviser as typed. So, unlike redaction,
// masking does not err towards removing: a card number is masked only when it passes the Luhn check. A long reference
// or account number may pass it too, by chance, and is then masked: hiding it is the lesser harm.

/** What `maskSecrets` returns: the text with secrets masked, and how many of each it masked. */
export interface MaskedSecrets {
    readonly text: string;
    /** Card numbers masked, so the bot can tell the resident not to type card details. */
    readonly cards: number;
    /** National Insurance numbers masked. */
    readonly nationalInsurance: number;
}

// Groups of digits joined by card separators: where a card number may be, after a letter too ("card4111…",
// "sam4111…@example.com"). A date, a time, a phone number where a card may start, or an earlier mask is read first and
// skipped, so a date range or a list of phone numbers is never taken for a card; a run stops before a date or time
// ("4111 1111 1111 1111 12/05/2026" keeps its date), or a phone number after a comma or the like (see `groupJoins`).
const numberRun = new RegExp(
    String.raw`(?<kept>${date}|${time}|${masks}|${keptPhone})|[0-9]+(?:${cardSeparator}${groupJoins}[0-9]+)*`,
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
// A security code: 3 digits (4 for American Express), not part of a longer number; or its digits spaced out ("1 2 3",
// "1-2-3"), not followed by another digit on its own ("cvv 1 2 3 4 5" is not one; "cvv 1 2 3 12/27" is), and, if a
// shorter code is one, not ending where an expiry date starts ("cvv 1 2 3 1 / 27" is 1 2 3 and 1/27).
const codeDigitGap = String.raw`[\s.,_*-]{1,3}`;
const spacedCode = String.raw`[0-9](?:(?:${codeDigitGap})?[0-9]){2,3}(?![0-9]|[/.,-][0-9]|${codeDigitGap}[0-9](?![0-9]|\s{0,2}[/.-]\s{0,2}[0-9]))`;
const codeValue = String.raw`(?:[0-9]{3,4}(?![0-9]|[/.,-][0-9])|${spacedCode}(?!\s{1,2}\/\s{0,2}(?:20)?[0-9]{2}(?![0-9]))|${spacedCode})`;
// An expiry date: month and year ("12/27", "12/2027", "1-27"), or, after a label, a month's name ("Dec 27").
const expiryValue = String.raw`(?:0?[1-9]|1[0-2])\s{0,2}[/.-]\s{0,2}(?:20[0-9]{2}|[0-9]{2})(?![0-9]|[/.-][0-9])`;
const expiryMonthName = String.raw`\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s{0,2}(?:20[0-9]{2}|[0-9]{2})(?![0-9])`;
const anyLabel = `(?:${securityCodeLabel}|${cardCodeLabel}|${expiryLabel})`;
// One expiry date or security code beside a card number, labelled or not, after a separator that does not end a
// sentence, or "and" ("4111… 12/27 123", "4111…, expiry 12/2027, security code 123", "4111… cvc:123", "4111…_123",
// "4111… and the cvv is 123"). Sticky: read from where the card number, or the last expiry or code read, ends.
const besideCard = new RegExp(
    String.raw`[^\p{L}\p{N}\p{M}\p{Sc}%@.!?]{0,8}(?:and\s{1,3})?(?:(?:the|my|its|it['’]s)\s{1,3})?(?:${anyLabel}${labelToValue}(?:${expiryValue}|${expiryMonthName}|${codeValue})|${expiryValue}|${codeValue})`,
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

/**
 * The Luhn check (which every payment card number passes, and 1 in 10 other numbers) of any stretch of `digits` in
 * constant time: `passes(start, end)` for digits[start, end). The check doubles every second digit from the right,
 * which in digits[start, end) are those at an index with the parity of `end`; so two running sums, one doubling the
 * even indices and one the odd, give any stretch by subtraction.
 */
function luhnChecker(digits: string): (start: number, end: number) => boolean {
    const doublingEven = new Int32Array(digits.length + 1);
    const doublingOdd = new Int32Array(digits.length + 1);
    for (let i = 0; i < digits.length; i++) {
        const digit = digits.charCodeAt(i) - 48;
        const doubled = digit > 4 ? digit * 2 - 9 : digit * 2;
        doublingEven[i + 1] = (doublingEven[i] as number) + (i % 2 === 0 ? doubled : digit);
        doublingOdd[i + 1] = (doublingOdd[i] as number) + (i % 2 === 1 ? doubled : digit);
    }
    return (start, end) => {
        const sums = end % 2 === 0 ? doublingEven : doublingOdd;
        return ((sums[end] as number) - (sums[start] as number)) % 10 === 0;
    };
}

// A group of more than 6 digits was not typed as a card's group (4, or 4-6-5 and 4-6-4 for American Express and
// Diners): it may be a card with its code or expiry typed after it, with nothing between ("4111111111111111123").
const longestTypedGroup = 6;

interface FoundCard {
    readonly start: number;
    readonly lastFour: string;
    /** Where the card's run of digits ends, or the digits before the next card in the run. */
    readonly runEnd: number;
}

/**
 * The card numbers in `text`. In each run of groups of digits, from its first group on (not one starting with 0, nor
 * the first after a "+"): the shortest run of whole groups (13–19 digits) that passes the Luhn check. Whole groups,
 * because a card is typed in groups and a code after it is a group of its own ("4111 1111 1111 1111 123"); the
 * shortest, because a longer run may take in that code, and showing it as the card's last four digits would keep it.
 * In a group of more than 6 digits that takes the number past 16 digits, a card may also end inside the group
 * ("4111111111111111123", a card and its code): the shortest that passes. The shortest, again, so the four digits
 * shown are the card's, never its code's: a shorter number passing by chance shows four other digits of the card.
 * (Up to 16 digits, such a group is read whole: a card typed without gaps, shown by its own last four.) The digits
 * after a card in its run go with it.
 */
function findCards(text: string): FoundCard[] {
    const cards: FoundCard[] = [];
    for (const run of text.matchAll(numberRun)) {
        // Fewer than 13 characters hold fewer than 13 digits.
        if (run.groups?.kept !== undefined || run[0].length < 13) continue;
        const runStart = run.index ?? 0;
        // The groups of digits: where each starts and ends in the text, and where it starts in `digits`. A scan of
        // the characters, not a regular expression: a match object for each of 100,000 groups takes tens of ms.
        const starts: number[] = [];
        const ends: number[] = [];
        const at: number[] = [];
        let digits = '';
        const characters = run[0];
        for (let i = 0, groupStart = -1; i <= characters.length; i++) {
            const code = i < characters.length ? characters.charCodeAt(i) : -1;
            const isDigit = code >= 48 && code <= 57;
            if (isDigit && groupStart < 0) {
                groupStart = i;
            } else if (!isDigit && groupStart >= 0) {
                starts.push(runStart + groupStart);
                ends.push(runStart + i);
                at.push(digits.length);
                digits += characters.slice(groupStart, i);
                groupStart = -1;
            }
        }
        if (digits.length < 13) continue;
        const passes = luhnChecker(digits);
        const groupCount = starts.length;
        const inRun: { first: number; last: number; lastFour: string }[] = [];
        // The first group where a card from group `first` may end (13 digits or more): it only moves on as `first`
        // does, so each group start tries at most the 7 groups in which a 13–19 digit card can end.
        let reach = 0;
        // After a "+" comes a country code, not a card.
        for (let first = text[runStart - 1] === '+' ? 1 : 0; first < groupCount; first++) {
            const from = at[first] as number;
            if (digits.charCodeAt(from) === 48) continue;
            reach = Math.max(reach, first);
            while (
                reach < groupCount &&
                (ends[reach] as number) - (starts[reach] as number) + (at[reach] as number) - from < 13
            ) {
                reach++;
            }
            let found: { last: number; end: number } | undefined;
            for (let last = reach; last < groupCount && found === undefined; last++) {
                const before = (at[last] as number) - from;
                if (before >= 19) break;
                const length = (ends[last] as number) - (starts[last] as number);
                const after = before + length;
                if (length <= longestTypedGroup || after <= 16) {
                    if (after >= 13 && after <= 19 && passes(from, from + after)) found = { last, end: from + after };
                } else {
                    for (let n = Math.max(13, before + 1); n <= Math.min(19, after) && found === undefined; n++) {
                        if (passes(from, from + n)) found = { last, end: from + n };
                    }
                }
            }
            if (found === undefined) continue;
            inRun.push({ first, last: found.last, lastFour: digits.slice(found.end - 4, found.end) });
            first = found.last;
        }
        // The digits after a card in its run are its own (a 19-digit card read as 16), its expiry and its code
        // ("4111111111111111 12/27 123"): they go with it, up to the next card, across a gap of spaces, dashes, dots
        // or slashes, a separator the card itself has between its groups ("5555,5555,5555,4444,123"), or any
        // separator when, with them, the card is still 19 digits at most and passes the Luhn check (the rest of the
        // same card). Not otherwise ("4222222222222 (13 digits)" keeps its "(13"): a code there is read as beside it.
        inRun.forEach((card, i) => {
            const next = inRun[i + 1]?.first ?? groupCount;
            const separator = (g: number) => text.slice(ends[g - 1], starts[g]);
            const own = new Set<string>();
            for (let g = card.first + 1; g <= card.last; g++) own.add(separator(g));
            const from = at[card.first] as number;
            const sameCard = (g: number) => {
                const end = (at[g] as number) + (ends[g] as number) - (starts[g] as number);
                return end - from <= 19 && passes(from, end);
            };
            let last = card.last;
            while (last + 1 < next) {
                const joining = separator(last + 1);
                if (!tightGap.test(joining) && !own.has(joining) && !sameCard(last + 1)) break;
                last++;
            }
            cards.push({ start: starts[card.first] as number, lastFour: card.lastFour, runEnd: ends[last] as number });
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

// Every secret needs a digit, in some script.
const mayHoldDigits = /\p{Nd}/u;

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
 * - a payment card number (13–19 digits, any separators, Luhn-checked, after letters too) becomes
 *   `[card ending 1111]`, its last four digits, with any digits typed straight after it (its code, its expiry);
 * - an expiry date or security code beside it ("4111… exp 12/27 cvv 123") is dropped with no placeholder: the card's
 *   mask already says card details were given, and PCI DSS forbids keeping a security code in any form;
 * - a labelled security code anywhere ("my cvv is 123", "CVV 1 2 3", "the 3 digits on the back are 123") becomes
 *   `[security code removed]`, its label kept so the sentence reads; in a message with a card number, also a vaguer
 *   one ("the code is 123") and a labelled expiry date (`[expiry date removed]`);
 * - a National Insurance number (any gaps) becomes `[NI number ending 56 C]`, its last two digits and letter, or
 *   `[NI number ending 56]` typed without the letter, so an adviser can confirm it with the resident without the whole
 *   number being kept.
 * Digits in any script are read; when something is masked, they are returned as ASCII digits. Text with none of these
 * is returned as it was (the same string).
 */
export function maskSecrets(text: string): MaskedSecrets {
    if (!mayHoldDigits.test(text)) return { text, cards: 0, nationalInsurance: 0 };
    const ascii = asciiDigits(text);
    // National Insurance numbers first: their masks are then skipped, so their digits never start a card's run.
    let nationalInsuranceNumbers = 0;
    let result = ascii.replace(nationalInsurance, (...args: unknown[]) => {
        const { pair, letter, lastPair } = args[args.length - 1] as Record<string, string | undefined>;
        nationalInsuranceNumbers++;
        return letter === undefined
            ? `[NI number ending ${lastPair}]`
            : `[NI number ending ${pair} ${letter.toUpperCase()}]`;
    });
    const cards = findCards(result);
    if (cards.length > 0) {
        const unmasked = result;
        let masked = '';
        let from = 0;
        cards.forEach((card, i) => {
            masked += `${unmasked.slice(from, card.start)}${cardMask(card.lastFour)}`;
            // What follows, up to the next card, so a code is never read from the next card's first group.
            from = card.runEnd + besideCardLength(unmasked.slice(card.runEnd, cards[i + 1]?.start ?? unmasked.length));
        });
        result = masked + unmasked.slice(from);
        result = result.replace(labelledCardCode, (_match, label: string) => `${label}[security code removed]`);
        result = result.replace(labelledExpiry, (_match, label: string) => `${label}[expiry date removed]`);
    } else {
        result = result.replace(labelledSecurityCode, (_match, label: string) => `${label}[security code removed]`);
    }
    // Digits in another script stay as typed when nothing was masked.
    return {
        text: result === ascii ? text : result,
        cards: cards.length,
        nationalInsurance: nationalInsuranceNumbers,
    };
}
