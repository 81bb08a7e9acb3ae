import { expect } from 'chai';
import { redactPersonalData } from '../../knowledge/personalData';

describe('redactPersonalData', () => {
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

    it('leaves ordinary text alone', () => {
        const ordinary = [
            'my bin was not emptied',
            'I have 3 bins',
            'I have 3 bins on my road',
            '2 potholes on our road',
            'I waited 2 weeks',
            'I paid £120 on 12 May',
        ];
        for (const text of ordinary) {
            expect(redactPersonalData(text)).to.equal(text);
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
