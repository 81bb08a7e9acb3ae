import { expect } from 'chai';
import fc from 'fast-check';
import { maskSecrets, redactPersonalData, stripPersonalData } from '../../knowledge/personalData';

// Generated personal data, split the ways residents type it, inside generated messages.

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const letters = (n: number) => fc.array(letter, { minLength: n, maxLength: n }).map((l) => l.join(''));

/** Between the parts of a number: none, a space, several spaces, a tab, a hyphen, a dot, a dash, a hard space. */
const gaps = ['', ' ', '  ', '   ', '\t', '-', '.', '–', '\u00a0', ' - '];
/**
 * Card numbers are also split by slashes, and by any run of up to 8 characters that are not letters or digits: commas,
 * underscores, "+", "*", brackets, new lines, long gaps.
 */
const cardGaps = [
    ...gaps,
    ...['/', ' / ', ',', ', ', '_', '+', '*', ' * ', ')(', ') (', '#', '_-_', ' ... '],
    ...['     ', '        ', '\n', '\r\n', '\t\t', ' \n '],
];

/**
 * Where the decimal digits of some scripts start: fullwidth, Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali,
 * Thai, and mathematical bold and monospace (outside the Basic Multilingual Plane).
 */
const digitZeros = [0xff10, 0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0x1d7ce, 0x1d7f6];
/** The text as typed, mostly; sometimes with its ASCII digits written in another script's digits, or in several. */
function inSomeScript(text: string): fc.Arbitrary<string> {
    const written = (zero: number) => (d: string) => String.fromCodePoint(zero + Number(d));
    return fc.oneof(
        { weight: 4, arbitrary: fc.constant(text) },
        { weight: 1, arbitrary: fc.constantFrom(...digitZeros).map((zero) => text.replace(/[0-9]/g, written(zero))) },
        {
            weight: 1,
            arbitrary: fc
                .array(fc.constantFrom(48, ...digitZeros), { minLength: text.length, maxLength: text.length })
                .map((zeros) => text.replace(/[0-9]/g, (d, i: number) => written(zeros[i] as number)(d))),
        },
    );
}

/** The parts joined by one gap throughout, or by a gap of its own between each two. */
function joined(parts: readonly string[], between: readonly string[]): fc.Arbitrary<string> {
    const gap = fc.constantFrom(...between);
    return fc.oneof(
        gap.map((g) => parts.join(g)),
        fc
            .array(gap, { minLength: parts.length - 1, maxLength: parts.length - 1 })
            .map((gs) => parts.reduce((text, part, i) => (i === 0 ? part : `${text}${gs[i - 1]}${part}`))),
    );
}

/** The text in its own case, lower case or upper case. */
const anyCase = (text: fc.Arbitrary<string>) =>
    fc
        .tuple(text, fc.constantFrom('as is', 'lower', 'upper'))
        .map(([t, c]) => (c === 'lower' ? t.toLowerCase() : c === 'upper' ? t.toUpperCase() : t));

/** A UK phone number: mobile, London or other landline, after 0, +44, 0044, a bare 44, +44 (0) or in brackets. */
const phoneNumberAfter = (...prefixes: string[]): fc.Arbitrary<string> =>
    fc
        .tuple(
            fc.oneof(
                fc.tuple(digits(3), digits(6)).map(([a, b]) => [`7${a}`, b]),
                fc.tuple(digits(3), digits(3), digits(3)).map(([a, b, c]) => [`7${a}`, b, c]),
                fc.tuple(digits(4), digits(4)).map(([a, b]) => ['20', a, b]),
                fc.tuple(digits(3), digits(6)).map(([a, b]) => [`1${a}`, b]),
                fc.tuple(digits(2), digits(3), digits(4)).map(([a, b, c]) => [`1${a}`, b, c]),
                fc.tuple(digits(3), digits(5)).map(([a, b]) => [`1${a}`, b]),
            ),
            fc.constantFrom(...prefixes),
        )
        .chain(([[first, ...rest], prefix]) => {
            if (prefix === '0') return joined([`0${first}`, ...rest], gaps);
            if (prefix === '(0') return joined([`(0${first})`, ...rest], gaps);
            return joined([prefix, first as string, ...rest], gaps);
        });
const phoneNumber = phoneNumberAfter('0', '(0', '+44', '0044', '44', '+44 (0)');
/**
 * Phone numbers in a list, joined by commas, slashes or semicolons, which may also split a card number. Not after a
 * bare 44, which is read as a phone number only with no digits after it ("44 8512 345678 9012" may be a card).
 */
const phoneList = fc
    .tuple(
        fc.array(phoneNumberAfter('0', '(0', '+44', '0044', '+44 (0)'), { minLength: 2, maxLength: 3 }),
        fc.constantFrom(', ', ',', ' / ', '/', '; ', ' or '),
    )
    .map(([numbers, separator]) => ({ numbers, separator }));

/** A UK postcode: any of the six shapes of outward code, then an inward code, in any case. */
const postcode: fc.Arbitrary<string> = anyCase(
    fc
        .tuple(
            fc.oneof(
                fc.tuple(letters(1), digits(1)).map((p) => p.join('')),
                fc.tuple(letters(1), digits(2)).map((p) => p.join('')),
                fc.tuple(letters(2), digits(1)).map((p) => p.join('')),
                fc.tuple(letters(2), digits(2)).map((p) => p.join('')),
                fc.tuple(letters(1), digits(1), letters(1)).map((p) => p.join('')),
                fc.tuple(letters(2), digits(1), letters(1)).map((p) => p.join('')),
            ),
            fc.tuple(digits(1), letters(2)).map((p) => p.join('')),
        )
        .chain(([outward, inward]) => joined([outward, inward], gaps)),
);

/** A National Insurance number: any two letters, three pairs of digits and A–D, in any case. */
const nationalInsuranceParts = fc.tuple(letters(2), digits(2), digits(2), digits(2), fc.constantFrom(...'ABCD'));
const nationalInsuranceNumber = (parts: readonly string[]) => anyCase(joined(parts, gaps));
/**
 * One typed without the final letter: in capitals with any gaps ("AB 12 34 56"), or in any case with the letters
 * touching the digits ("ab123456"); with the pair of digits it ends with.
 */
const nationalInsuranceWithoutLetter = fc
    .tuple(letters(2), digits(2), digits(2), digits(2))
    .chain(([prefix, ...pairs]) =>
        fc
            .oneof(
                joined([prefix, ...pairs], gaps),
                fc
                    .tuple(anyCase(fc.constant(prefix)), joined(pairs, gaps))
                    .map(([letters, number]) => `${letters}${number}`),
            )
            .map((typed) => ({ typed, lastPair: pairs[2] as string })),
    );

/** How card numbers of each length are grouped when typed; each can also be typed as one run of digits. */
const groupings: Record<number, number[]> = {
    13: [4, 4, 4, 1],
    14: [4, 6, 4],
    15: [4, 6, 5],
    16: [4, 4, 4, 4],
    17: [4, 4, 4, 4, 1],
    18: [4, 4, 4, 4, 2],
    19: [4, 4, 4, 4, 3],
};

/** The digits split into groups of the given sizes. */
function grouped(number: string, sizes: readonly number[]): string[] {
    const groups: string[] = [];
    let at = 0;
    for (const size of sizes) groups.push(number.slice(at, (at += size)));
    return groups;
}

function passesLuhn(number: string): boolean {
    let sum = 0;
    [...number].reverse().forEach((d, i) => {
        const n = Number(d) * (i % 2 === 1 ? 2 : 1);
        sum += n > 9 ? n - 9 : n;
    });
    return sum % 10 === 0;
}

/** A card number's digits, 13–19 of them, not starting with 0 (no card does); with a Luhn check digit when asked. */
function cardDigits(luhnValid: boolean, lengths: readonly number[] = [13, 14, 15, 16, 17, 18, 19]) {
    return fc
        .tuple(fc.constantFrom(...lengths), fc.integer({ min: 1, max: 9 }), digit)
        .chain(([length, first, last]) => digits(length - 2).map((middle) => [`${first}${middle}`, last]))
        .map(([body, last]) => {
            if (!luhnValid) return `${body}${last}`;
            for (let check = 0; check <= 9; check++) if (passesLuhn(`${body}${check}`)) return `${body}${check}`;
            throw new Error('unreachable: one check digit always passes');
        });
}

/** A card number typed as one run of digits or split by generated gaps, with the groups of digits as typed. */
function typedCard(number: fc.Arbitrary<string>) {
    return number.chain((n) =>
        fc
            .oneof(
                { weight: 1, arbitrary: fc.constant([n]) },
                { weight: 4, arbitrary: fc.constant(grouped(n, groupings[n.length] ?? [])) },
            )
            .chain((groups) => joined(groups, cardGaps))
            .map((typed) => ({ number: n, groups: typed.match(/\d+/g) ?? [], typed })),
    );
}

/**
 * The last four digits `maskSecrets` shows: those of the shortest run of whole groups from the first that passes the
 * Luhn check (see findCards). That is the whole card unless a shorter run passes too, by chance, 1 time in 10. In a
 * group of more than 6 digits (typed without gaps) that takes the run past 16 digits, a card may end inside it: the
 * shortest number of 13 digits or more from the first digit that passes.
 */
function shownLastFour(groups: readonly string[]): string {
    let run = '';
    for (const group of groups) {
        const before = run.length;
        run += group;
        if (group.length <= 6 || run.length <= 16) {
            if (run.length >= 13 && run.length <= 19 && passesLuhn(run)) return run.slice(-4);
        } else {
            for (let n = Math.max(13, before + 1); n <= Math.min(19, run.length); n++) {
                if (passesLuhn(run.slice(0, n))) return run.slice(n - 4, n);
            }
        }
    }
    throw new Error(`not a card: ${groups.join(' ')}`);
}

/** True when no number of 13 digits or more at the start of `number` passes the Luhn check. */
const noPrefixPassesLuhn = (number: string) =>
    Array.from({ length: number.length - 12 }, (_, i) => number.slice(0, 13 + i)).every((n) => !passesLuhn(n));

// Messages around the data: sentences with no digit, and ordinary sentences with digits that must stay as they are.
const words = ['my', 'bin', 'was', 'not', 'emptied', 'please', 'help', 'street', 'light', 'is', 'out', 'thank', 'you'];
const plainSentence = fc
    .array(fc.constantFrom(...words, 'again', 'today', 'council', 'reported', 'this', 'twice', 'I', 'have'), {
        minLength: 1,
        maxLength: 8,
    })
    .map((ws) => `${ws.join(' ')}.`.replace(/^./, (c) => c.toUpperCase()));
const ordinarySentences = [
    'I paid £120 on 12 May.',
    'It was due on 12/05/2026 at 10:30.',
    'Not collected 12/11/2026-19/11/2026.',
    'Between 10.30-11.45 on 2026-05-12.',
    'I have 3 bins and 2 boxes.',
    'It cost £1,234.56 in total.',
    'My case is ATB-A42DX.',
];
const plainText = fc.array(plainSentence, { maxLength: 3 }).map((s) => s.join(' '));
const ordinaryText = fc.array(fc.oneof(plainSentence, fc.constantFrom(...ordinarySentences)), { maxLength: 3 });
const surroundings = fc.oneof(
    plainText,
    ordinaryText.map((s) => s.join(' ')),
);
const end = fc.constantFrom('', '.', ',', '!', '?');

/** The message, with `data` after `lead` between the text before and after. */
function message(before: string, lead: string, data: string, close: string, after: string): string {
    return [before, `${lead} ${data}${close}`, after].filter((part) => part !== '').join(' ');
}

/** The digits of `text` outside its masks, in any script. */
const digitsOutsideMasks = (text: string) => text.replace(/\[card ending \d{4}\]/g, '').replace(/[^\p{Nd}]/gu, '');

describe('redacting generated personal data (property)', function () {
    this.timeout(120_000);

    // Each also written in the digits of other scripts.
    const kinds: ReadonlyArray<{ name: string; kind: string; lead: string; data: fc.Arbitrary<string> }> = [
        { name: 'UK phone number', kind: 'phone', lead: 'Call me on', data: phoneNumber.chain(inSomeScript) },
        { name: 'postcode', kind: 'postcode', lead: 'My postcode is', data: postcode.chain(inSomeScript) },
        {
            name: 'National Insurance number',
            kind: 'nino',
            lead: 'My NI number is',
            data: nationalInsuranceParts.chain(nationalInsuranceNumber).chain(inSomeScript),
        },
        {
            name: 'National Insurance number without its letter',
            kind: 'nino',
            lead: 'My NI number is',
            data: nationalInsuranceWithoutLetter.map((n) => n.typed).chain(inSomeScript),
        },
        {
            name: 'card-length number (no Luhn check)',
            kind: 'card',
            lead: 'My card number is',
            data: typedCard(cardDigits(false))
                .map((c) => c.typed)
                .chain(inSomeScript),
        },
        {
            name: 'Luhn-valid card number',
            kind: 'card',
            lead: 'My card number is',
            data: typedCard(cardDigits(true))
                .map((c) => c.typed)
                .chain(inSomeScript),
        },
    ];

    kinds.forEach(({ name, kind, lead, data }, i) => {
        it(`replaces a ${name} however it is split, and leaves the message around it as it was`, () => {
            fc.assert(
                fc.property(surroundings, data, end, surroundings, (before, raw, close, after) => {
                    const text = message(before, lead, raw, close, after);
                    const redacted = redactPersonalData(text);
                    expect(redacted, JSON.stringify(text)).to.equal(message(before, lead, `[${kind}]`, close, after));
                    expect(stripPersonalData(text), JSON.stringify(text)).to.equal(
                        message(before, lead, ' ', close, after),
                    );
                }),
                { seed: 20_240_901 + i, numRuns: 400 },
            );
        });
    });

    it('leaves no digit of the data in a message whose other sentences have none', () => {
        const anyData = fc.oneof(...kinds.map(({ lead, data }) => data.map((d) => ({ lead, d }))));
        fc.assert(
            fc.property(
                plainText,
                fc.array(anyData, { minLength: 1, maxLength: 4 }),
                plainText,
                (before, items, after) => {
                    const text = [before, ...items.map(({ lead, d }) => `${lead} ${d}.`), after].join(' ');
                    expect(redactPersonalData(text), JSON.stringify(text)).not.to.match(/\p{Nd}/u);
                },
            ),
            { seed: 20_240_910, numRuns: 300 },
        );
    });

    it('replaces a card number glued to letters', () => {
        fc.assert(
            fc.property(
                surroundings,
                fc.constantFrom('card', 'REF', 'Visa', 'no'),
                typedCard(cardDigits(false)).chain((c) => inSomeScript(c.typed)),
                fc.constantFrom('', 'thanks', 'ok'),
                end,
                surroundings,
                (before, prefix, typed, suffix, close, after) => {
                    const text = message(before, 'Card', `${prefix}${typed}${suffix}`, close, after);
                    expect(redactPersonalData(text), JSON.stringify(text)).to.equal(
                        message(before, 'Card', `${prefix}[card]${suffix}`, close, after),
                    );
                },
            ),
            { seed: 20_240_911, numRuns: 300 },
        );
    });

    it('replaces each phone number in a list joined by commas, slashes or semicolons', () => {
        fc.assert(
            fc.property(surroundings, phoneList, end, surroundings, (before, { numbers, separator }, close, after) => {
                const text = message(before, 'Call me on', numbers.join(separator), close, after);
                const redacted = numbers.map(() => '[phone]').join(separator);
                expect(redactPersonalData(text), JSON.stringify(text)).to.equal(
                    message(before, 'Call me on', redacted, close, after),
                );
            }),
            { seed: 20_240_912, numRuns: 300 },
        );
    });
});

describe('masking generated secrets (property)', function () {
    this.timeout(120_000);

    it('masks a Luhn-valid card number however it is split, showing no more than four of its digits', () => {
        const card = typedCard(cardDigits(true)).chain((c) => inSomeScript(c.typed).map((typed) => ({ ...c, typed })));
        fc.assert(
            fc.property(surroundings, card, end, surroundings, (before, card, close, after) => {
                const text = message(before, 'My card number is', card.typed, close, after);
                const masked = maskSecrets(text);
                const mask = `[card ending ${shownLastFour(card.groups)}]`;
                expect(masked, JSON.stringify(text)).to.deep.equal({
                    text: message(before, 'My card number is', mask, close, after),
                    cards: 1,
                    nationalInsurance: 0,
                });
                // Outside the mask, only the digits of the message around the card are left.
                expect(digitsOutsideMasks(masked.text)).to.equal(digitsOutsideMasks(`${before} ${after}`));
                // A card of 13–16 digits has no shorter run of whole groups that is 13 digits or more.
                if (card.number.length <= 16) expect(mask).to.equal(`[card ending ${card.number.slice(-4)}]`);
            }),
            { seed: 20_241_001, numRuns: 500 },
        );
    });

    it('leaves no digit of a card outside its mask, in a message of several cards', () => {
        const card = typedCard(cardDigits(true)).chain((c) => inSomeScript(c.typed));
        fc.assert(
            fc.property(
                plainText,
                fc.array(card, { minLength: 1, maxLength: 4 }),
                plainText,
                (before, cards, after) => {
                    const text = [before, ...cards.map((c) => `Card ${c}.`), after].join(' ');
                    const masked = maskSecrets(text);
                    expect(masked.cards, JSON.stringify(text)).to.equal(cards.length);
                    expect(digitsOutsideMasks(masked.text), JSON.stringify(text)).to.equal('');
                },
            ),
            { seed: 20_241_002, numRuns: 300 },
        );
    });

    it('masks a card number glued to letters or in an email address', () => {
        fc.assert(
            fc.property(
                surroundings,
                fc.constantFrom('card', 'REF', 'Visa', 'sam', 'no'),
                typedCard(cardDigits(true)),
                fc.constantFrom('', 'thanks', '@example.com'),
                end,
                surroundings,
                (before, prefix, card, suffix, close, after) => {
                    const text = message(before, 'Card', `${prefix}${card.typed}${suffix}`, close, after);
                    const mask = `[card ending ${shownLastFour(card.groups)}]`;
                    expect(maskSecrets(text), JSON.stringify(text)).to.deep.equal({
                        text: message(before, 'Card', `${prefix}${mask}${suffix}`, close, after),
                        cards: 1,
                        nationalInsurance: 0,
                    });
                },
            ),
            { seed: 20_241_010, numRuns: 300 },
        );
    });

    it("masks a card number with its code typed straight after it, showing four of the card's digits, not the code's", () => {
        // A 14–16 digit card (most are 16, American Express 15, Diners 14) and a 3 or 4 digit code with nothing
        // between: as one run of digits, or the code glued to the card's last group.
        const typed = fc
            .tuple(cardDigits(true, [14, 15, 16]), fc.oneof(digits(3), digits(4)), fc.boolean())
            .chain(([number, code, asOneRun]) => {
                const groups = asOneRun ? [number] : grouped(number, groupings[number.length] ?? []);
                const withCode = [...groups.slice(0, -1), `${groups[groups.length - 1]}${code}`];
                return joined(withCode, cardGaps).map((t) => ({ number, typed: t }));
            });
        fc.assert(
            fc.property(surroundings, typed, end, surroundings, (before, card, close, after) => {
                const text = message(before, 'My card is', card.typed, close, after);
                const masked = maskSecrets(text);
                const shown = /\[card ending (\d{4})\]/.exec(masked.text)?.[1] ?? '';
                expect(masked, JSON.stringify(text)).to.deep.equal({
                    text: message(before, 'My card is', `[card ending ${shown}]`, close, after),
                    cards: 1,
                    nationalInsurance: 0,
                });
                // The four digits end a number of 13 digits or more at the start of the card, which passes the check.
                const ends = Array.from({ length: card.number.length - 12 }, (_, i) => 13 + i).filter(
                    (n) => card.number.slice(n - 4, n) === shown && passesLuhn(card.number.slice(0, n)),
                );
                expect(ends.length, JSON.stringify(text)).to.be.above(0);
                if (noPrefixPassesLuhn(card.number.slice(0, -1))) expect(shown).to.equal(card.number.slice(-4));
            }),
            { seed: 20_241_011, numRuns: 500 },
        );
    });

    /** An expiry date: month and year, typed in any of the usual ways, with or without a label. */
    const expiry = fc.oneof(
        fc
            .tuple(
                fc.constantFrom('', 'exp ', 'exp. ', 'Exp: ', 'expiry ', 'Expiry date: ', 'expires ', 'valid thru '),
                fc.integer({ min: 1, max: 12 }),
                fc.boolean(),
                fc.constantFrom('/', '-', '.', ' / '),
                fc.integer({ min: 25, max: 35 }),
                fc.boolean(),
            )
            .map(([label, m, pad, sep, y, long]) => {
                const month = pad ? String(m).padStart(2, '0') : String(m);
                return `${label}${month}${sep}${long ? `20${y}` : y}`;
            }),
        fc
            .tuple(fc.constantFrom('exp ', 'expiry ', 'expires '), fc.constantFrom('Dec', 'December', 'jan', 'Sept.'))
            .chain(([label, month]) => fc.constantFrom('27', '2027').map((year) => `${label}${month} ${year}`)),
    );
    /** A security code's digits spaced out: "1 2 3", "1-2-3-4", "1  2  3". */
    const spacedCode = fc
        .tuple(fc.oneof(digits(3), digits(4)), fc.constantFrom(' ', '-', '  ', ' - '))
        .map(([code, gap]) => [...code].join(gap));
    /** A security code: 3 or 4 digits, together or spaced out, with or without a label. */
    const securityCode = fc
        .tuple(
            fc.constantFrom(
                '',
                'cvv ',
                'CVV: ',
                'cvv2 ',
                'cvc:',
                'CV2 ',
                'csc ',
                'cid ',
                'code ',
                'security code ',
                'security code: ',
                'the security code is ',
                'the cvv is ',
                'my cvc is ',
                'the 3 digits on the back are ',
                'three digits on the back: ',
            ),
            fc.oneof(digits(3), digits(4), spacedCode),
        )
        .map(([label, code]) => `${label}${code}`);
    const detailsJoin = fc.constantFrom(' ', '  ', ', ', '; ', ' and ', ' - ', ',\t');

    it('drops an expiry date and security code typed after a card, labelled or not', () => {
        const details = fc.oneof(
            fc.tuple(expiry).map((d) => [...d]),
            fc.tuple(securityCode).map((d) => [...d]),
            fc.tuple(expiry, securityCode).map((d) => [...d]),
            fc.tuple(securityCode, expiry).map((d) => [...d]),
        );
        const card = typedCard(cardDigits(true, [13, 14, 15, 16]));
        fc.assert(
            fc.property(
                surroundings,
                card,
                fc.array(detailsJoin, { minLength: 2, maxLength: 2 }),
                details,
                end,
                surroundings,
                (before, c, joins, items, close, after) => {
                    const typed = `${c.typed}${joins[0]}${items.join(joins[1])}`;
                    const text = message(before, 'My card is', typed, close, after);
                    const mask = `[card ending ${c.number.slice(-4)}]`;
                    expect(maskSecrets(text), JSON.stringify(text)).to.deep.equal({
                        text: message(before, 'My card is', mask, close, after),
                        cards: 1,
                        nationalInsurance: 0,
                    });
                },
            ),
            { seed: 20_241_003, numRuns: 500 },
        );
    });

    it('replaces a labelled security code in a message with no card, keeping the label', () => {
        const label = fc.constantFrom(
            'my cvv is ',
            'CVV: ',
            'cvc=',
            'CV2 ',
            'csc ',
            'security code ',
            'card verification code: ',
            'the 3 digits on the back are ',
            'the three digit number on the back of my card is ',
        );
        fc.assert(
            fc.property(
                surroundings,
                label,
                fc.oneof(digits(3), digits(4), spacedCode),
                end,
                surroundings,
                (before, l, code, close, after) => {
                    const text = message(before, 'And', `${l}${code}`, close, after);
                    expect(maskSecrets(text), JSON.stringify(text)).to.deep.equal({
                        text: message(before, 'And', `${l}[security code removed]`, close, after),
                        cards: 0,
                        nationalInsurance: 0,
                    });
                },
            ),
            { seed: 20_241_004, numRuns: 400 },
        );
    });

    it('masks a National Insurance number however it is split, to its last two digits and letter', () => {
        const number = nationalInsuranceParts.chain((parts) =>
            nationalInsuranceNumber(parts).map((typed) => ({ typed, shown: `${parts[3]} ${parts[4]}` })),
        );
        fc.assert(
            fc.property(surroundings, number, end, surroundings, (before, ni, close, after) => {
                const text = message(before, 'My NI number is', ni.typed, close, after);
                expect(maskSecrets(text), JSON.stringify(text)).to.deep.equal({
                    text: message(before, 'My NI number is', `[NI number ending ${ni.shown}]`, close, after),
                    cards: 0,
                    nationalInsurance: 1,
                });
            }),
            { seed: 20_241_005, numRuns: 400 },
        );
    });

    it('masks a National Insurance number typed without its letter, to its last two digits', () => {
        const number = nationalInsuranceWithoutLetter.chain((n) =>
            inSomeScript(n.typed).map((typed) => ({ ...n, typed })),
        );
        fc.assert(
            fc.property(surroundings, number, end, surroundings, (before, ni, close, after) => {
                const text = message(before, 'My NI number is', ni.typed, close, after);
                expect(maskSecrets(text), JSON.stringify(text)).to.deep.equal({
                    text: message(before, 'My NI number is', `[NI number ending ${ni.lastPair}]`, close, after),
                    cards: 0,
                    nationalInsurance: 1,
                });
            }),
            { seed: 20_241_012, numRuns: 400 },
        );
    });

    it('leaves phone numbers, postcodes, dates, amounts and numbers that fail the Luhn check as they were', () => {
        const notCard = fc.oneof(
            phoneNumber.map((p) => `Call me on ${p}.`),
            phoneList.map(({ numbers, separator }) => `Call me on ${numbers.join(separator)}.`),
            postcode.map((p) => `My postcode is ${p}.`),
            // One run of digits, or four groups of four, in which no number of 13 digits or more from the start
            // passes the Luhn check (a card may end inside a run of more than 6 digits, with its code after it).
            fc
                .tuple(cardDigits(false), fc.boolean())
                .filter(([n]) => noPrefixPassesLuhn(n))
                .chain(([n, split]) =>
                    split && n.length === 16 ? joined(grouped(n, [4, 4, 4, 4]), cardGaps) : fc.constant(n),
                )
                .map((n) => `My reference is ${n}.`),
            fc.constantFrom(...ordinarySentences),
            plainSentence,
        );
        fc.assert(
            fc.property(fc.array(notCard, { minLength: 1, maxLength: 5 }), (sentences) => {
                const text = sentences.join(' ');
                expect(maskSecrets(text), JSON.stringify(text)).to.deep.equal({ text, cards: 0, nationalInsurance: 0 });
            }),
            { seed: 20_241_006, numRuns: 400 },
        );
    });

    it('changes nothing more when masking masked text again', () => {
        const piece = fc.oneof(
            typedCard(cardDigits(true)).map((c) => `Card ${c.typed}.`),
            typedCard(cardDigits(true))
                .chain((c) => inSomeScript(c.typed))
                .map((c) => `Card${c}.`),
            nationalInsuranceWithoutLetter.map((n) => `NI ${n.typed}.`),
            phoneList.map(({ numbers, separator }) => `Call ${numbers.join(separator)}.`),
            fc.tuple(typedCard(cardDigits(true)), securityCode).map(([c, code]) => `Card ${c.typed} ${code}.`),
            securityCode.map((code) => `And ${code}.`),
            nationalInsuranceParts.chain(nationalInsuranceNumber).map((n) => `NI ${n}.`),
            phoneNumber.map((p) => `Call ${p}.`),
            fc.constantFrom(...ordinarySentences),
            plainSentence,
        );
        fc.assert(
            fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
                const once = maskSecrets(pieces.join(' '));
                expect(maskSecrets(once.text)).to.deep.equal({ text: once.text, cards: 0, nationalInsurance: 0 });
            }),
            { seed: 20_241_007, numRuns: 300 },
        );
    });

    it('never throws on any text, and returns text without a digit as it was', () => {
        fc.assert(
            fc.property(
                fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
                (text) => {
                    const masked = maskSecrets(text);
                    expect(masked.text).to.be.a('string');
                    expect(masked.cards).to.be.at.least(0);
                    expect(masked.nationalInsurance).to.be.at.least(0);
                    if (!/\d/.test(text)) expect(masked.text).to.equal(text);
                },
            ),
            { seed: 20_241_008, numRuns: 500 },
        );
    });
});

describe('redacting and masking long text (property)', function () {
    this.timeout(120_000);

    it('stays fast on up to 20,000 characters of data, near misses and separators', () => {
        const unit = fc.oneof(
            fc.constantFrom('1', '1 ', '1-', '1.', '12/', '0', '(0', ')', '+44', '44', ' ', '  ', '\t', '–', '/'),
            fc.constantFrom(
                ',',
                ', ',
                '_',
                '*',
                '(',
                '\n',
                '      ',
                ':',
                '１',
                '٤',
                '𝟏',
                'AB123456',
                'cvv 1 2 ',
                '12:30',
            ),
            fc.constantFrom('cvv ', 'exp ', 'the 3 digits on the back are ', 'AB', 'SW1A', '1AA', 'ATB-', '@', 'a'),
            typedCard(cardDigits(true)).map((c) => c.typed),
            phoneNumber,
            postcode,
        );
        const longText = fc
            .tuple(fc.array(unit, { minLength: 1, maxLength: 20 }), fc.integer({ min: 2000, max: 20_000 }))
            .map(([units, length]) => {
                let text = '';
                for (let i = 0; text.length < length; i++) text += units[i % units.length];
                return text.slice(0, length);
            });
        fc.assert(
            fc.property(longText, (text) => {
                const started = performance.now();
                redactPersonalData(text);
                stripPersonalData(text);
                maskSecrets(text);
                // Catastrophic backtracking takes seconds on text this long; a linear scan, milliseconds.
                expect(performance.now() - started, `${text.length} characters`).to.be.below(1000);
            }),
            { seed: 20_241_009, numRuns: 40 },
        );
    });
});
