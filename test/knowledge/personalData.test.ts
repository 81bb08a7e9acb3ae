import { expect } from 'chai';
import { asciiDigits, maskSecrets, redactPersonalData, stripPersonalData } from '../../knowledge/personalData';

/** `text` with its ASCII digits written in the decimal digits that start at `zero` (U+0660 for Arabic-Indic). */
const inDigits = (text: string, zero: number) => text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
/** Where the digits of some scripts start: fullwidth, Arabic-Indic, Extended Arabic-Indic (Persian, Urdu), Devanagari,
 * Bengali, Gurmukhi, Gujarati, Tamil, Thai, Myanmar, and two runs of mathematical digits, outside the Basic
 * Multilingual Plane (each two UTF-16 code units): bold, the first of five runs, and monospace, the last. */
const digitScripts: ReadonlyArray<[string, number]> = [
    ['fullwidth', 0xff10],
    ['Arabic-Indic', 0x0660],
    ['Extended Arabic-Indic', 0x06f0],
    ['Devanagari', 0x0966],
    ['Bengali', 0x09e6],
    ['Gurmukhi', 0x0a66],
    ['Gujarati', 0x0ae6],
    ['Tamil', 0x0be6],
    ['Thai', 0x0e50],
    ['Myanmar', 0x1040],
    ['mathematical bold', 0x1d7ce],
    ['mathematical monospace', 0x1d7f6],
];

describe('asciiDigits', () => {
    it('gives every Unicode decimal digit its ASCII digit', () => {
        // An oracle of its own: each numbering system ICU knows, writing 0–9 in its own digits.
        const written = new Map<string, string>();
        for (const numberingSystem of Intl.supportedValuesOf('numberingSystem')) {
            const format = new Intl.NumberFormat('en', { numberingSystem, useGrouping: false });
            for (let d = 0; d <= 9; d++) {
                const digit = format.format(d);
                if (/^\p{Nd}$/u.test(digit)) written.set(digit, String(d));
            }
        }
        expect(written.size).to.be.above(500);
        let checked = 0;
        for (let codePoint = 0x80; codePoint <= 0x10ffff; codePoint++) {
            const digit = String.fromCodePoint(codePoint);
            if (!/\p{Nd}/u.test(digit)) continue;
            const ascii = asciiDigits(digit);
            const name = `U+${codePoint.toString(16).toUpperCase()}`;
            expect(ascii, name).to.match(/^[0-9]$/);
            // Where ICU writes it, or Unicode decomposes it to an ASCII digit (fullwidth, mathematical), the same.
            const expected =
                written.get(digit) ?? (/^[0-9]$/.test(digit.normalize('NFKC')) ? digit.normalize('NFKC') : undefined);
            if (expected !== undefined) {
                expect(ascii, name).to.equal(expected);
                checked++;
            }
        }
        expect(checked).to.be.above(500);
    });

    it('turns fullwidth letters and punctuation into ASCII, and returns text with neither as it was', () => {
        expect(asciiDigits('ＡＢ１２３４５６Ｃ ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ')).to.equal('AB123456C jo@example.com');
        expect(asciiDigits('٤١١١ and ４１１１ and 𝟒𝟏𝟏𝟏')).to.equal('4111 and 4111 and 4111');
        // Not superscripts, fractions, circled or Roman numerals: they are not decimal digits.
        expect(asciiDigits('² ½ ① Ⅻ')).to.equal('² ½ ① Ⅻ');
        const ascii = 'card 4111 1111 1111 1111, £20';
        expect(asciiDigits(ascii)).to.equal(ascii);
    });
});

describe('redactPersonalData', () => {
    /** Each text has nothing personal in it, so it is kept exactly as typed. */
    const expectKept = (texts: readonly string[]) => {
        for (const text of texts) expect(redactPersonalData(text), text).to.equal(text);
    };

    it('replaces email addresses', () => {
        expect(redactPersonalData('email me at jo.bloggs+bins@example.co.uk please')).to.equal(
            'email me at [email] please',
        );
    });

    it('replaces UK mobile numbers, written with a 0 or +44', () => {
        expect(redactPersonalData('call 07700 900123')).to.equal('call [phone]');
        expect(redactPersonalData('call +44 7700 900123')).to.equal('call [phone]');
        expect(redactPersonalData('call 07700900123.')).to.equal('call [phone].');
    });

    it('replaces a landline number with the area code in brackets', () => {
        expect(redactPersonalData('ring (01632) 960000 please')).to.equal('ring [phone] please');
    });

    it('replaces UK landline numbers', () => {
        expect(redactPersonalData('ring 01632 960000')).to.equal('ring [phone]');
        expect(redactPersonalData('ring 020 7946 0000')).to.equal('ring [phone]');
    });

    it('replaces postcodes with or without the space, in any case', () => {
        expect(redactPersonalData('I live at AN1 1AA')).to.equal('I live at [postcode]');
        expect(redactPersonalData('postcode sw1a1aa')).to.equal('postcode [postcode]');
        // A case reference can look like a postcode; it is not personal, and logs need it.
        expect(redactPersonalData('case ATB-A42DX for AN1 1AA')).to.equal('case ATB-A42DX for [postcode]');
        expect(redactPersonalData('my postcode is-SW1A 1AA, Ox-OX1 2JD')).to.equal(
            'my postcode is-[postcode], Ox-[postcode]',
        );
    });

    it('replaces National Insurance numbers, spaced or not', () => {
        expect(redactPersonalData('my NI is QQ 12 34 56 C')).to.equal('my NI is [nino]');
        expect(redactPersonalData('my NI is AB 12 34 56 C')).to.equal('my NI is [nino]');
        expect(redactPersonalData('my NI is jg103759a')).to.equal('my NI is [nino]');
    });

    it('replaces card numbers grouped by spaces or hyphens', () => {
        expect(redactPersonalData('card 4111 1111 1111 1111')).to.equal('card [card]');
        expect(redactPersonalData('card 4111-1111-1111-1111')).to.equal('card [card]');
        expect(redactPersonalData('card 4111111111111111')).to.equal('card [card]');
    });

    it('replaces a house number and street', () => {
        expect(redactPersonalData('I live at 12 High Street')).to.equal('I live at [address]');
        expect(redactPersonalData('it is outside 4a Mill Lane, Anytown')).to.equal('it is outside [address], Anytown');
    });

    it('replaces UK numbers written with the country code and no "+", or with 00', () => {
        expect(redactPersonalData('call 447700900987')).to.equal('call [phone]');
        expect(redactPersonalData('call 44 7700 900987 today')).to.equal('call [phone] today');
        expect(redactPersonalData('call 0044 7700 900987')).to.equal('call [phone]');
        expect(redactPersonalData('call 0044 (0)7700 900987')).to.equal('call [phone]');
        expect(redactPersonalData('call +44 (0) 20 7946 0000')).to.equal('call [phone]');
        // 13 digits with the 0 kept after +44: a phone number, not a card number.
        expect(redactPersonalData('call +44 07700 900987')).to.equal('call [phone]');
    });

    it('replaces phone numbers split by dots, tabs, dashes or several spaces', () => {
        for (const number of ['07700.900.987', '07700\t900987', '07700   900 987', '020-7946-0000', '07700 – 900987']) {
            expect(redactPersonalData(`call ${number} now`), number).to.equal('call [phone] now');
        }
    });

    it('replaces postcodes split by several spaces, a tab, a dash or a dot', () => {
        for (const code of ['SW1A  1AB', 'SW1A\t1AB', 'SW1A-1AB', 'sw1a.1ab', 'SW1A – 1AB', 'M1   1AE']) {
            expect(redactPersonalData(`I live at ${code}, thanks`), code).to.equal('I live at [postcode], thanks');
        }
    });

    it('keeps case references readable, whatever their prefix', () => {
        for (const reference of ['ATB-A42DX', 'A-A42DX', 'ATB7-K3F9X', 'COUNCIL-B22XY']) {
            expect(redactPersonalData(`case ${reference} for SW1A-1AB`), reference).to.equal(
                `case ${reference} for [postcode]`,
            );
        }
    });

    it('replaces National Insurance numbers split by dashes, dots, tabs or several spaces', () => {
        for (const number of [
            'AB-12-34-56-A',
            'AB.12.34.56.A',
            'AB 12-34-56 C',
            'AB  12  34  56  C',
            'ab\t123456\td',
        ]) {
            expect(redactPersonalData(`my NI is ${number}.`), number).to.equal('my NI is [nino].');
        }
    });

    it('replaces card numbers split by dots, slashes, tabs, several spaces or mixed gaps, without a Luhn check', () => {
        const numbers = [
            '4111.1111.1111.1113',
            '4111  1111  1111  1113',
            '4111/1111/1111/1113',
            '4111\t1111\t1111\t1113',
            '4111 - 1111.1111/1113',
            '4111–1111–1111–1113',
            '3782 822463 10005',
            '6011 0000 0000 0000 001',
        ];
        for (const number of numbers) {
            expect(redactPersonalData(`card ${number}, thanks`), number).to.equal('card [card], thanks');
        }
    });

    it('does not take a date range for a card or phone number', () => {
        const ranges = ['12/11/2026-19/11/2026', '01.05.2026 - 08.05.2026', '2026-05-12 - 2026-05-19', '1/5/26-8/5/26'];
        for (const range of ranges) {
            expect(redactPersonalData(`not emptied ${range}`), range).to.equal(`not emptied ${range}`);
        }
    });

    it('replaces card, NI and phone numbers typed in the digits of another script', () => {
        for (const [script, zero] of digitScripts) {
            const card = inDigits('4539 1488 0343 6467', zero);
            expect(redactPersonalData(`card ${card}, thanks`), script).to.equal('card [card], thanks');
        }
        // As the security review typed them, and with scripts mixed in one number.
        expect(redactPersonalData('card ４１１１ １１１１ １１１１ １１１１')).to.equal('card [card]');
        expect(redactPersonalData('card ٤١١١ ١١١١ ١١١١ ١١١١')).to.equal('card [card]');
        expect(redactPersonalData('card 4111 ١١١١ １１１１ 𝟏𝟏𝟏𝟏')).to.equal('card [card]');
        expect(redactPersonalData('my NI is ＡＢ１２３４５６Ｃ.')).to.equal('my NI is [nino].');
        expect(redactPersonalData('call ０７７００ ９００１２３')).to.equal('call [phone]');
        expect(redactPersonalData('ＳＷ１Ａ １ＡＡ')).to.equal('[postcode]');
        // With nothing to replace, digits in another script stay as typed.
        for (const text of ['I have ٣ bins', 'عندي ٣ صناديق', 'ＴＥＳＴ １２']) {
            expect(redactPersonalData(text), text).to.equal(text);
            expect(stripPersonalData(text), text).to.equal(text);
        }
    });

    it('replaces card numbers split by commas, underscores, "+", "*", brackets, new lines or long gaps', () => {
        const numbers = [
            '5555,5555,5555,4444',
            '5555, 5555, 5555, 4444',
            '4111_1111_1111_1111',
            '4111+1111+1111+1111',
            '4111*1111*1111*1111',
            '4111)(1111)(1111)(1111',
            '4111) (1111) (1111) (1111',
            '4111     1111     1111     1111',
            '4111        1111        1111        1111',
            '4111\n1111\n1111\n1111',
            '4111\r\n1111\r\n1111\r\n1111',
            '4111\t\t1111\t\t1111\t\t1111',
            '4111 ... 1111 ... 1111 ... 1111',
            '4111#1111#1111#1111',
            '4111 * 1111 _ 1111 , 1111',
        ];
        for (const number of numbers) {
            expect(redactPersonalData(`card ${number}; thanks`), JSON.stringify(number)).to.equal(
                'card [card]; thanks',
            );
        }
        expect(redactPersonalData('card (4111) (1111) (1111) (1111) thanks')).to.equal('card ([card]) thanks');
        // Groups more than 8 characters apart are separate numbers.
        expect(redactPersonalData('4111         1111 1111 1111')).to.equal('4111         1111 1111 1111');
    });

    it('replaces a card number glued to letters', () => {
        expect(redactPersonalData('card4111111111111111 thanks')).to.equal('card[card] thanks');
        expect(redactPersonalData('ref REF4111111111111111')).to.equal('ref REF[card]');
        expect(redactPersonalData('4111111111111111thanks')).to.equal('[card]thanks');
        expect(redactPersonalData('mail sam4111111111111111@example.com')).to.equal('mail [email]');
    });

    it('replaces a card number with its code or expiry typed straight after it', () => {
        for (const number of [
            '4111111111111111123',
            '41111111111111111234',
            '41111111111111111227123',
            '4111 1111 1111 11111227123',
        ]) {
            expect(redactPersonalData(`card ${number} thanks`), number).to.equal('card [card] thanks');
        }
    });

    it('replaces National Insurance numbers typed without the final letter, but not postcodes or registrations', () => {
        for (const number of [
            'AB123456',
            'AB 12 34 56',
            'ab123456',
            'AB-12-34-56',
            'QQ.12.34.56',
            'ＡＢ１２３４５６',
        ]) {
            expect(redactPersonalData(`my NI is ${number}.`), number).to.equal('my NI is [nino].');
        }
        expect(redactPersonalData('my postcode is AB12 3CD')).to.equal('my postcode is [postcode]');
        expectKept([
            'reg AB12 CDE',
            'my account is 123456',
            'the ref is 12 34 56',
            'on 12 34 56',
            'AB1234567',
            'XAB123456',
        ]);
    });

    it('keeps phone numbers, times, amounts and lists of small numbers apart when commas or brackets join them', () => {
        expect(redactPersonalData('call 07700 900123, 07700 900456 or (01632) 960000')).to.equal(
            'call [phone], [phone] or [phone]',
        );
        expect(redactPersonalData('Flat 12, 07700 900123')).to.equal('Flat 12, [phone]');
        expect(redactPersonalData('ref 12 (01632) 960000')).to.equal('ref 12 [phone]');
        expectKept([
            'open 9:00-17:00, 10:00-16:00 and 10:30, 12:45, 14:15, 16:30',
            'I paid £120, £130, £140, £150 and £1,234.56',
            'it was 50%, 60%, 70%, 80%, 90%',
            'flats 12, 14, 16 and 18',
            'collected 12/05/2026, 19/05/2026, 26/05/2026',
            'case ATB-A42DX, ref 12',
        ]);
    });

    it('removes the same data when stripping for matching, leaving dates and references', () => {
        expect(stripPersonalData('call 0044 7700 900987 about AB-12-34-56-A')).to.equal('call   about  ');
        expect(stripPersonalData('case ATB-A42DX on 12/05/2026')).to.equal('case ATB-A42DX on 12/05/2026');
    });

    it('leaves ordinary text alone', () => {
        const ordinary = [
            'my bin was not emptied',
            'I have 3 bins',
            'I have 3 bins on my road',
            '2 potholes on our road',
            'I waited 2 weeks',
            'I paid £120 on 12 May',
            'case ATB-A42DX',
            'it was due on 12/05/2026 at 10:30',
            'between 10.30-11.45 or 2026-05-12',
            'it cost £1,234.56 or £1234.56',
            'reference 12345678 and version 1.2.3',
        ];
        expectKept(ordinary);
    });

    it('stays fast on 20,000 characters of near misses', () => {
        const units = [
            ...['1', '1 ', '1-', '1.', '12/', '0 ', '(0', ')1', '+44 ', '4111 1111 1111 111', 'SW1A ', 'AB 12 '],
            ...['1,', '1_', '1 ,(', '1\n', '１ ', '٤ ', '𝟏 ', '1      ', '12, 0', ', 0770', '1:', '12:3', 'AB123456 '],
            ...['44 7700 9001', '[card ending 1111] ', 'a1', '1@a.'],
        ];
        for (const unit of units) {
            const text = unit.repeat(Math.ceil(20_000 / unit.length));
            const started = performance.now();
            redactPersonalData(text);
            stripPersonalData(text);
            // Catastrophic backtracking takes seconds; a linear scan, a few milliseconds.
            expect(performance.now() - started, JSON.stringify(unit)).to.be.below(500);
        }
    });

    describe('over many generated messages', () => {
        /** mulberry32: a small seeded generator, so every run sees the same messages. */
        function randomGenerator(seed: number): () => number {
            let state = seed >>> 0;
            return () => {
                state = (state + 0x6d2b79f5) >>> 0;
                let t = state;
                t = Math.imul(t ^ (t >>> 15), t | 1);
                t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
                return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
            };
        }

        const random = randomGenerator(20260401);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
        const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
        const letters = (n: number, from = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') =>
            Array.from({ length: n }, () => pick([...from])).join('');
        const anyCase = (text: string) => pick([text, text.toLowerCase(), text.toUpperCase()]);

        /** Sentences with no digits, no "@" and no street words, ending in a full stop. */
        const fillers = [
            'My bin was not emptied this week.',
            'The pothole outside is getting bigger.',
            'Can you help me with my council tax bill?',
            'I would like a new recycling box.',
            'There is a lot of noise from next door at night.',
            'Please tell me what to do next.',
            'I have already reported this once.',
            'The street light has been out for ages.',
            'Thank you for your help.',
            'Someone has dumped a mattress.',
        ];

        const generators: ReadonlyArray<{ kind: string; lead: string; make: () => string }> = [
            {
                kind: 'email',
                lead: 'You can email me at',
                make: () =>
                    `${pick(['jo', 'sam.smith', 'mary_ann', 't.jones', 'resident'])}${pick(['', digits(2)])}@` +
                    pick(['example.com', 'example.co.uk', 'mail.example.org', 'anytown.gov.uk']),
            },
            {
                kind: 'phone',
                lead: 'My mobile is',
                make: () =>
                    pick([
                        `07${digits(3)} ${digits(6)}`,
                        `+44 7${digits(3)} ${digits(6)}`,
                        `+447${digits(9)}`,
                        `07${digits(9)}`,
                        `07${digits(3)}-${digits(3)}-${digits(3)}`,
                    ]),
            },
            {
                kind: 'phone',
                lead: 'Call me on',
                make: () => pick([`01${digits(3)} ${digits(6)}`, `02${digits(1)} ${digits(4)} ${digits(4)}`]),
            },
            {
                kind: 'postcode',
                lead: 'My postcode is',
                make: () => {
                    const outward = pick([
                        `${letters(1)}${digits(1)}`,
                        `${letters(1)}${digits(2)}`,
                        `${letters(2)}${digits(1)}`,
                        `${letters(2)}${digits(2)}`,
                        `${letters(1)}${digits(1)}${letters(1)}`,
                        `${letters(2)}${digits(1)}${letters(1)}`,
                    ]);
                    return anyCase(`${outward}${pick([' ', ''])}${digits(1)}${letters(2)}`);
                },
            },
            {
                kind: 'nino',
                lead: 'My National Insurance number is',
                make: () => {
                    const gap = pick([' ', '']);
                    // Any two letters: a mistyped or specimen prefix (QQ) is still someone's number to hide.
                    const prefix = letters(2);
                    const number = [digits(2), digits(2), digits(2)].join(gap);
                    return anyCase(`${prefix}${gap}${number}${gap}${letters(1, 'ABCD')}`);
                },
            },
            {
                kind: 'card',
                lead: 'My card number is',
                make: () => {
                    const gap = pick([' ', '-', '']);
                    return [`${pick(['4', '5'])}${digits(3)}`, digits(4), digits(4), digits(4)].join(gap);
                },
            },
            {
                kind: 'address',
                lead: 'I live at',
                make: () => {
                    const number = `${1 + Math.floor(random() * 998)}${pick(['', '', 'a', 'b'])}`;
                    const name = pick(['High', 'Mill', 'Church', 'Station', 'Queens', 'Old Mill', 'St Johns']);
                    const street = pick(['Street', 'Road', 'Lane', 'Avenue', 'Close', 'Drive', 'Way', 'Crescent']);
                    return anyCase(`${number} ${name} ${street}`);
                },
            },
        ];

        const cases = Array.from({ length: 200 }, () => {
            const parts: { text: string; redacted: string; data?: string }[] = [];
            const items = 1 + Math.floor(random() * 3);
            for (let i = 0; i < items; i++) {
                const filler = pick(fillers);
                parts.push({ text: filler, redacted: filler });
                const { kind, lead, make } = pick(generators);
                const data = make();
                parts.push({ text: `${lead} ${data}.`, redacted: `${lead} [${kind}].`, data });
            }
            const filler = pick(fillers);
            parts.push({ text: filler, redacted: filler });
            return {
                message: parts.map((p) => p.text).join(' '),
                expected: parts.map((p) => p.redacted).join(' '),
                data: parts.flatMap((p) => (p.data ? [p.data] : [])),
            };
        });

        it('never lets the personal data through', () => {
            for (const { message, data } of cases) {
                const redacted = redactPersonalData(message);
                for (const raw of data) expect(redacted, message).not.to.include(raw);
                // The fillers have no digits, so any digit left over is part of the data.
                expect(redacted, message).not.to.match(/\d/);
            }
        });

        it('replaces each piece of data with its kind and leaves the rest of the message as it was', () => {
            for (const { message, expected } of cases) {
                expect(redactPersonalData(message), message).to.equal(expected);
            }
        });
    });
});

describe('maskSecrets', () => {
    /** The masked text alone, for the cases where the counts are not the point. */
    const masked = (text: string) => maskSecrets(text).text;

    describe('card numbers', () => {
        it('masks a Luhn-valid card number to its last four digits, whatever its gaps', () => {
            const numbers = [
                '4111111111111111',
                '4111 1111 1111 1111',
                '4111-1111-1111-1111',
                '4111.1111.1111.1111',
                '4111/1111/1111/1111',
                '4111\t1111\t1111\t1111',
                '4111   1111   1111   1111',
                '4111 - 1111.1111/1111',
                '4111–1111–1111–1111',
                '4111\u00a01111\u00a01111\u00a01111',
            ];
            for (const number of numbers) {
                expect(maskSecrets(`my card is ${number} thanks`), number).to.deep.equal({
                    text: 'my card is [card ending 1111] thanks',
                    cards: 1,
                    nationalInsurance: 0,
                });
            }
        });

        it('masks a card number typed in the digits of another script', () => {
            for (const [script, zero] of digitScripts) {
                expect(maskSecrets(`my card is ${inDigits('4539 1488 0343 6467', zero)} thanks`), script).to.deep.equal(
                    {
                        text: 'my card is [card ending 6467] thanks',
                        cards: 1,
                        nationalInsurance: 0,
                    },
                );
            }
            // As the security review typed them, and with scripts mixed in one number.
            expect(masked('my card is ４１１１ １１１１ １１１１ １１１１')).to.equal('my card is [card ending 1111]');
            expect(masked('my card is ٤١١١ ١١١١ ١١١١ ١١١١')).to.equal('my card is [card ending 1111]');
            expect(masked('4111 ١١١١ １１１１ 𝟏𝟏𝟏𝟏 ＣＶＶ １２３')).to.equal('[card ending 1111]');
        });

        it('leaves a message in another script as it was when it holds no secret', () => {
            for (const text of [
                'I have ٣ bins',
                'عندي ٣ صناديق',
                'ＴＥＳＴ １２ and ٣',
                'call ０７７００ ９００１２３',
            ]) {
                expect(maskSecrets(text), text).to.deep.equal({ text, cards: 0, nationalInsurance: 0 });
            }
        });

        it('masks a card number split by commas, underscores, "+", "*", brackets, new lines or long gaps', () => {
            const numbers = [
                '4111,1111,1111,1111',
                '4111, 1111, 1111, 1111',
                '4111_1111_1111_1111',
                '4111+1111+1111+1111',
                '4111*1111*1111*1111',
                '4111)(1111)(1111)(1111',
                '4111) (1111) (1111) (1111',
                '4111     1111     1111     1111',
                '4111        1111        1111        1111',
                '4111\n1111\n1111\n1111',
                '4111\r\n1111\r\n1111\r\n1111',
                '4111\t\t1111\t\t1111\t\t1111',
                '4111 ... 1111 ... 1111 ... 1111',
                '4111 * 1111 _ 1111 , 1111',
            ];
            for (const number of numbers) {
                expect(maskSecrets(`my card is ${number}; thanks`), JSON.stringify(number)).to.deep.equal({
                    text: 'my card is [card ending 1111]; thanks',
                    cards: 1,
                    nationalInsurance: 0,
                });
            }
            expect(masked('5555,5555,5555,4444')).to.equal('[card ending 4444]');
            expect(masked('card (4111) (1111) (1111) (1111) thanks')).to.equal('card ([card ending 1111]) thanks');
            expect(masked('5500,0000,0000,0004 and 6011_0000_0000_0000_001')).to.equal(
                '[card ending 0004] and [card ending 0001]',
            );
            // A card starting 44 is not taken for a phone number with a bare 44 ("44 8512 345678").
            expect(masked('4485 1234 5678 9011 or 4485,1234,5678,9011')).to.equal(
                '[card ending 9011] or [card ending 9011]',
            );
            // A code typed after it the same way goes with it; what follows another way is kept, unless it is a code.
            expect(masked('4111_1111_1111_1111_123 thanks')).to.equal('[card ending 1111] thanks');
            expect(masked('4111111111111111_123 thanks')).to.equal('[card ending 1111] thanks');
            expect(masked('5555,5555,5555,4444, 2 bins')).to.equal('[card ending 4444], 2 bins');
        });

        it('masks a card number glued to letters or in an email address', () => {
            expect(masked('card4111111111111111 thanks')).to.equal('card[card ending 1111] thanks');
            expect(masked('ref REF4111111111111111')).to.equal('ref REF[card ending 1111]');
            expect(masked('4111111111111111thanks')).to.equal('[card ending 1111]thanks');
            expect(masked('mail sam4111111111111111@example.com')).to.equal('mail sam[card ending 1111]@example.com');
        });

        it("masks a card number with its code or expiry typed straight after it, showing the card's last four", () => {
            const messages: [string, string][] = [
                ['4111111111111111123', '1111'],
                ['4111 1111 1111 1111123', '1111'],
                ['41111111111111111227123', '1111'],
                // Its first 14 digits pass the Luhn check too, by chance: four of the card's digits are shown, not the
                // trailing digits (which may be its code).
                ['45391488034364671234567', '4364'],
                ['3782822463100051234', '0005'],
                ['Amex 3782 822463 100051234', '0005'],
            ];
            for (const [message, lastFour] of messages) {
                expect(maskSecrets(`${message} thanks`), message).to.deep.equal({
                    text: `${message.startsWith('Amex') ? 'Amex ' : ''}[card ending ${lastFour}] thanks`,
                    cards: 1,
                    nationalInsurance: 0,
                });
            }
        });

        it('masks cards of every length from 13 to 19 digits', () => {
            expect(masked('Visa 4222222222222 (13 digits)')).to.equal('Visa [card ending 2222] (13 digits)');
            expect(masked('Diners 3056 930902 5904')).to.equal('Diners [card ending 5904]');
            expect(masked('Amex 3782 822463 10005')).to.equal('Amex [card ending 0005]');
            expect(masked('Amex 378282246310005')).to.equal('Amex [card ending 0005]');
            expect(masked('Mastercard 5500 0000 0000 0004')).to.equal('Mastercard [card ending 0004]');
            expect(masked('Discover 6011 0000 0000 0000 001')).to.equal('Discover [card ending 0001]');
            expect(masked('UnionPay 6271800000000000003')).to.equal('UnionPay [card ending 0003]');
        });

        it('masks a card at the start or end of the text, or as the whole text', () => {
            expect(masked('4111 1111 1111 1111 is my card')).to.equal('[card ending 1111] is my card');
            expect(masked('my card is 4111 1111 1111 1111')).to.equal('my card is [card ending 1111]');
            expect(masked('my card is 4111 1111 1111 1111.')).to.equal('my card is [card ending 1111].');
            expect(masked('4111111111111111')).to.equal('[card ending 1111]');
        });

        it('masks every card in a message and counts them', () => {
            expect(
                maskSecrets('either 4111 1111 1111 1111 or 5500-0000-0000-0004, or Amex 378282246310005'),
            ).to.deep.equal({
                text: 'either [card ending 1111] or [card ending 0004], or Amex [card ending 0005]',
                cards: 3,
                nationalInsurance: 0,
            });
            // Two cards typed one after the other, with nothing but a space between.
            expect(maskSecrets('4111 1111 1111 1111 5500 0000 0000 0004')).to.deep.equal({
                text: '[card ending 1111] [card ending 0004]',
                cards: 2,
                nationalInsurance: 0,
            });
        });

        it('leaves a 13–19 digit number that fails the Luhn check, such as a reference', () => {
            for (const text of [
                'reference 4111 1111 1111 1112',
                'reference 4111111111111113',
                'reference 1234567890123456',
                'account 12345678901234567890',
                'meter 1234 5678 9012 3',
            ]) {
                expect(maskSecrets(text), text).to.deep.equal({ text, cards: 0, nationalInsurance: 0 });
            }
        });

        it('leaves a number starting with 0, or after a "+"', () => {
            for (const text of ['ref 0411111111111111', 'tel +4111 1111 1111 1111']) {
                expect(masked(text), text).to.equal(text);
            }
        });

        it('leaves amounts, dates, times and phone numbers alone', () => {
            const ordinary = [
                'I paid £120 on 12 May',
                'it cost £1,234.56, or £12,345,678.90 in total',
                'collected 12/05/2026 at 10:30, and 12/11/2026-19/11/2026',
                'from 2026-05-12 to 2026-05-19 between 10.30-11.45',
                'call 07700 900123 or 01632 960000 or (01632) 960000',
                'call +44 7700 900123, +44 (0) 20 7946 0000, 0044 7700 900123 or 447700900123',
                'call 07700 900123 07700 900456',
                'case ATB-A42DX for SW1A 1AA, I have 3 bins and 2 potholes',
                // Joined by commas, brackets or colons, which may now split a card number.
                'call 07700 900123, 07700 900456, (01632) 960000 or +44 7700 900123, 0044 7700 900123',
                'Flat 12, 07700 900123',
                'open 9:00-17:00, 10:00-16:00 and 10:30, 12:45, 14:15, 16:30',
                'I paid £120, £130, £140, £150 and £1,234.56; 50%, 60%, 70%, 80%',
                'collected 12/05/2026, 19/05/2026, 26/05/2026',
                'case ATB-A42DX, ref 12, flats 12, 14 and 16',
            ];
            for (const text of ordinary) {
                expect(maskSecrets(text), text).to.deep.equal({ text, cards: 0, nationalInsurance: 0 });
            }
            // Beside a card, a date or time is kept.
            expect(masked('4111 1111 1111 1111 12/05/2026, 10:30')).to.equal('[card ending 1111] 12/05/2026, 10:30');
        });
    });

    describe('expiry dates and security codes beside a card', () => {
        it('drops them with no placeholder, labelled or not', () => {
            const messages = [
                '4111 1111 1111 1111 exp 12/27 cvv 123',
                '4111111111111111 12/27 123',
                '4111 1111 1111 1111 123',
                '4111 1111 1111 1111 cvc:123',
                '4111 1111 1111 1111, cvv2: 123',
                '4111 1111 1111 1111 expires 1/2027 security code 123',
                '4111 1111 1111 1111, exp. 12-27; CSC 123',
                '4111 1111 1111 1111 valid thru 12.27 and the cvv is 123',
                '4111 1111 1111 1111 expiry date: Dec 2027, code 123',
                '4111 1111 1111 1111 and the 3 digits on the back are 123',
            ];
            for (const message of messages) {
                expect(maskSecrets(`${message}. Thanks`), message).to.deep.equal({
                    text: '[card ending 1111]. Thanks',
                    cards: 1,
                    nationalInsurance: 0,
                });
            }
            expect(masked('card 4111-1111-1111-1111, expiry 12/2027, security code 123')).to.equal(
                'card [card ending 1111]',
            );
            // An American Express security code has four digits.
            expect(masked('Amex 3782 822463 10005 exp 12/27 cid 1234, thanks')).to.equal(
                'Amex [card ending 0005], thanks',
            );
            expect(masked('Amex 3782 822463 10005 1234, thanks')).to.equal('Amex [card ending 0005], thanks');
        });

        it('keeps what follows them', () => {
            expect(masked('4111 1111 1111 1111 exp 12/27 cvv 123 please take £50 for the permit')).to.equal(
                '[card ending 1111] please take £50 for the permit',
            );
            expect(masked('4111 1111 1111 1111 and I paid £120 on 12 May')).to.equal(
                '[card ending 1111] and I paid £120 on 12 May',
            );
        });

        it('keeps a date after a card that cannot be an expiry date', () => {
            expect(masked('4111 1111 1111 1111 on 12/05/2026')).to.equal('[card ending 1111] on 12/05/2026');
        });

        it('drops a labelled security code or expiry date anywhere in a message with a card', () => {
            expect(
                maskSecrets('My card is 4111 1111 1111 1111. It expires 12/27. My cvv is 123. The code is 456.'),
            ).to.deep.equal({
                text:
                    'My card is [card ending 1111]. It expires [expiry date removed]. My cvv is [security code removed].' +
                    ' The code is [security code removed].',
                cards: 1,
                nationalInsurance: 0,
            });
            expect(masked('cvv 123, card 4111 1111 1111 1111')).to.equal(
                'cvv [security code removed], card [card ending 1111]',
            );
            expect(masked('4111 1111 1111 1111. The numbers on the back of the card are 123')).to.equal(
                '[card ending 1111]. The numbers on the back of the card are [security code removed]',
            );
            // On the next line, straight after the card, it is beside the card.
            expect(masked('4111 1111 1111 1111\nthe numbers on the back are 123\nthanks')).to.equal(
                '[card ending 1111]\nthanks',
            );
        });
    });

    describe('security codes without a card', () => {
        it('replaces a labelled security code, keeping the label', () => {
            const messages: [string, string][] = [
                ['my cvv is 123', 'my cvv is [security code removed]'],
                ['CVV: 123', 'CVV: [security code removed]'],
                ['cvc=1234', 'cvc=[security code removed]'],
                ['the security code is 123', 'the security code is [security code removed]'],
                ['the 3 digits on the back are 123', 'the 3 digits on the back are [security code removed]'],
                [
                    'the three digit number on the back of my card is 123',
                    'the three digit number on the back of my card is [security code removed]',
                ],
            ];
            for (const [message, expected] of messages) {
                expect(maskSecrets(message), message).to.deep.equal({
                    text: expected,
                    cards: 0,
                    nationalInsurance: 0,
                });
            }
        });

        it('replaces a labelled security code typed with its digits spaced out', () => {
            const messages: [string, string][] = [
                ['CVV 1 2 3', 'CVV [security code removed]'],
                ['cvv: 1-2-3', 'cvv: [security code removed]'],
                ['my cvv is 1 2 3.', 'my cvv is [security code removed].'],
                ['CVV 1  2  3', 'CVV [security code removed]'],
                ['security code 1 2 3 4', 'security code [security code removed]'],
                ['cvv 12 3', 'cvv [security code removed]'],
                ['ＣＶＶ １ ２ ３', 'CVV [security code removed]'],
            ];
            for (const [message, expected] of messages) {
                expect(maskSecrets(message), message).to.deep.equal({
                    text: expected,
                    cards: 0,
                    nationalInsurance: 0,
                });
            }
            expect(masked('4111 1111 1111 1111 cvv 1 2 3, thanks')).to.equal('[card ending 1111], thanks');
            expect(masked('my card is 4111 1111 1111 1111. The cvv is 1 2 3')).to.equal(
                'my card is [card ending 1111]. The cvv is [security code removed]',
            );
            // A code of 3 digits, then another number, as before.
            expect(masked('cvv 123 456')).to.equal('cvv [security code removed] 456');
        });

        it('leaves a vaguely labelled code, an expiry date, and a label without a 3–4 digit code', () => {
            for (const text of [
                'the code is 123',
                'my permit expires 12/27',
                'my cvv is 12',
                'cvv 12345',
                'cvv 1 2',
                'cvv 1 2 3 4 5',
                'the 3 bins at the back',
                'postcode 123',
            ]) {
                expect(masked(text), text).to.equal(text);
            }
        });
    });

    describe('National Insurance numbers', () => {
        it('masks one to its last two digits and letter, whatever its gaps and case', () => {
            const numbers = [
                'QQ 12 34 56 C',
                'QQ123456C',
                'qq123456c',
                'QQ-12-34-56-C',
                'QQ.12.34.56.C',
                'QQ  12\t34 56  C',
            ];
            for (const number of numbers) {
                expect(maskSecrets(`my NI number is ${number}.`), number).to.deep.equal({
                    text: 'my NI number is [NI number ending 56 C].',
                    cards: 0,
                    nationalInsurance: 1,
                });
            }
        });

        it('masks one typed without its final letter to its last two digits', () => {
            for (const number of [
                'AB123456',
                'AB 12 34 56',
                'ab123456',
                'AB-12-34-56',
                'QQ  12\t34 56',
                'ＡＢ１２３４５６',
            ]) {
                expect(maskSecrets(`my NI number is ${number}.`), number).to.deep.equal({
                    text: 'my NI number is [NI number ending 56].',
                    cards: 0,
                    nationalInsurance: 1,
                });
            }
            expect(masked('my NI is ＡＢ１２３４５６Ｃ.')).to.equal('my NI is [NI number ending 56 C].');
            expect(masked('my NI is AB123456 I think')).to.equal('my NI is [NI number ending 56] I think');
            // With a letter that is not A–D after it, the number is still masked.
            expect(masked('AB 12 34 56 E')).to.equal('[NI number ending 56] E');
        });

        it('counts every one, beside card numbers', () => {
            expect(maskSecrets('AB 12 34 56 A and JG103759A, card 4111 1111 1111 1111')).to.deep.equal({
                text: '[NI number ending 56 A] and [NI number ending 59 A], card [card ending 1111]',
                cards: 1,
                nationalInsurance: 2,
            });
            // Its digits do not start the card's run.
            expect(maskSecrets('AB123456, 4111 1111 1111 1111')).to.deep.equal({
                text: '[NI number ending 56], [card ending 1111]',
                cards: 1,
                nationalInsurance: 1,
            });
        });

        it('leaves a number that is not one', () => {
            for (const text of [
                'AB 12 34 5 C',
                'XAB123456C',
                'XAB123456',
                'AB1234567',
                'my account is 123456',
                'the code is 12 34 56',
                'on 12 34 56',
                // A postcode and a vehicle registration.
                'AB12 3CD',
                'AB12 CDE',
            ])
                expect(masked(text), text).to.equal(text);
        });
    });

    it('returns text without a digit as it was, quickly', () => {
        const text = 'My bin was not emptied, the cvv of the street is unknown. '.repeat(400);
        const started = performance.now();
        const result = maskSecrets(text);
        expect(performance.now() - started).to.be.below(50);
        expect(result).to.deep.equal({ text, cards: 0, nationalInsurance: 0 });
    });

    it('changes nothing more when masking again', () => {
        const message =
            'card 4111 1111 1111 1111 exp 12/27, my cvv is 123, NI QQ 12 34 56 C, the 3 digits on the back are 456';
        const once = maskSecrets(message);
        expect(maskSecrets(once.text)).to.deep.equal({ text: once.text, cards: 0, nationalInsurance: 0 });
    });

    it('stays fast on 20,000 characters of near misses', () => {
        const units = ['1', '1 ', '1-', '12/', '4111 1111 1111 1111 ', '4111 1111 1111 1112 ', 'cvv 1 ', 'AB 12 '];
        for (const unit of units) {
            const text = unit.repeat(Math.ceil(20_000 / unit.length));
            const started = performance.now();
            maskSecrets(text);
            // Catastrophic backtracking takes seconds; a linear scan, a few milliseconds.
            expect(performance.now() - started, JSON.stringify(unit)).to.be.below(500);
        }
    });

    it('processes 20,000 characters of digits and separators in well under a second', () => {
        const units = [
            ...[
                '1 ',
                '1,',
                '1_',
                '1 ,(',
                '1\n',
                '1      ',
                '１ ',
                '٤ ',
                '𝟏 ',
                '41111111111111111',
                '4111111111111111123 ',
            ],
            ...['4111,1111,1111,1112,', '4111 1111 1111 1111 cvv 1 2 3 ', 'cvv 1 2 ', 'AB123456 ', '12, 0', ', 0770'],
            ...['1:', '12:3', '44 7700 9001', '[card ending 1111] ', '+44 ', '(0', 'a1'],
        ];
        for (const unit of units) {
            const text = unit.repeat(Math.ceil(20_000 / unit.length));
            const started = performance.now();
            maskSecrets(text);
            // A linear scan: about 5 ms here; messages are kept to about 4,000 characters.
            expect(performance.now() - started, JSON.stringify(unit)).to.be.below(250);
        }
    });
});
