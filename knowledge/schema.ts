import path from 'node:path';
import { z } from 'zod';
import { contrastRatio, formatContrastRatio, hexColourPattern, minimumTextContrast } from './contrast';
import { logoMediaType } from './logo';
import { originProblem } from './origin';

/** A language code such as `en` or `cy`. */
const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language code such as "en" or "cy"');

/** Resident-facing text: a plain string (English) or a map of language codes to strings that includes `en`. */
export const localisedTextSchema = z.union(
    [
        z.string().trim().min(1, 'expected non-empty text'),
        z
            .record(languageCode, z.string().trim().min(1, 'expected non-empty text'))
            .refine((map) => typeof map.en === 'string', { message: 'expected an "en" entry in the language map' }),
    ],
    {
        error: (issue) =>
            issue.input === undefined
                ? 'expected text, received undefined'
                : 'expected text, or a map of language codes to text with an "en" entry',
    },
);
export type LocalisedText = z.infer<typeof localisedTextSchema>;

const id = z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lower-case id of letters, digits and hyphens, e.g. "missed-bin"');
const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const ukPhone = z
    .string()
    .regex(/^(\+44\s?|0)[0-9 ]{9,13}$|^[0-9]{3,6}$/, 'expected a UK phone number such as "01632 960000" or "999"');
const time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'expected a 24-hour time such as "08:30"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as "2026-12-25"');

/** Opening hours for one day: a list of open periods, or `closed`. */
const dayHours = z.union([
    z.literal('closed'),
    z.array(z.object({ opens: time, closes: time }).strict()).min(1, 'expected at least one open period'),
]);

/** Opening hours for each day of the week and for bank holidays, in the council's time zone. */
const weekHours = z
    .object({
        monday: dayHours,
        tuesday: dayHours,
        wednesday: dayHours,
        thursday: dayHours,
        friday: dayHours,
        saturday: dayHours,
        sunday: dayHours,
        bankHolidays: dayHours,
    })
    .strict();
export type WeekHours = z.infer<typeof weekHours>;

const phrases = z.array(z.string().trim().min(2, 'expected a phrase of two or more characters')).min(1);

/** Named lists of alternative words that phrases can use as `{name}` (see phraseTemplates.ts). */
const wordLists = z
    .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a list name of lower-case letters, digits and hyphens'),
        z.array(z.string().trim().min(1)).min(1, 'expected at least one word'),
    )
    .default({});

export const contactSchema = z
    .object({
        name: localisedTextSchema,
        phone: ukPhone.optional(),
        email: z.email({ error: 'expected an email address' }).optional(),
        url: url.optional(),
        hours: localisedTextSchema.optional(),
    })
    .strict();
export type Contact = z.infer<typeof contactSchema>;

/**
 * Where a team's new cases are sent besides its queue: a signed webhook, an email, or both. The webhook's
 * secret lives in the environment (WEBHOOK_SECRET_<TEAM>), never here.
 */
export const teamDeliverySchema = z
    .object({
        webhook: z.object({ url }).strict().optional(),
        email: z
            .object({ to: z.email({ error: 'expected an email address' }) })
            .strict()
            .optional(),
    })
    .strict();
export type TeamDelivery = z.infer<typeof teamDeliverySchema>;

/**
 * A colour that white text sits on (a header, a button): `#rrggbb` with at least WCAG 2.2 AA's 4.5:1 contrast
 * against white. Stored in lower case.
 */
const colourUnderWhiteText = z
    .string({
        // An unquoted `#1d70b8` is a YAML comment, so the field arrives empty: say how to write it.
        error: (issue) =>
            issue.input === null
                ? "expected a colour in quotes, such as '#1d70b8' (without quotes YAML reads # as a comment)"
                : undefined,
    })
    .regex(hexColourPattern, "expected a colour written as '#rrggbb', such as '#1d70b8'")
    .superRefine((colour, context) => {
        if (!hexColourPattern.test(colour)) return;
        const ratio = contrastRatio(colour, '#ffffff');
        if (ratio < minimumTextContrast) {
            context.addIssue({
                code: 'custom',
                message:
                    `white text on ${colour} has a contrast ratio of ${formatContrastRatio(ratio)}, below the ` +
                    `${minimumTextContrast}:1 that WCAG 2.2 AA needs for text: choose a darker colour`,
            });
        }
    })
    .transform((colour) => colour.toLowerCase());

/** GOV.UK's blue and green, used when council.yaml gives no colours (both pass the contrast check). */
export const defaultBrandColours = { primary: '#1d70b8', accent: '#00703c' } as const;

/** A logo image in the knowledge folder; the loader checks that it is there and resolves it to an absolute path. */
const logoPath = z
    .string()
    .trim()
    .min(1)
    .refine((file) => !path.isAbsolute(file) && !path.win32.isAbsolute(file), {
        message: 'expected a path relative to the knowledge folder, such as "logo.svg"',
    })
    .refine((file) => logoMediaType(file) !== undefined, { message: 'expected an .svg or .png file' });

/**
 * How the council's own chat page looks and introduces the assistant. Every word on that page comes from here or
 * conversation.yaml, so the page holds no text of its own.
 */
export const brandingSchema = z
    .object({
        /** What the assistant is called in the page's heading and title, e.g. "Anytown Assistant". */
        assistantName: localisedTextSchema,
        /** Shown above the chat: that this is an automated assistant, not a person, and what it can help with. */
        intro: localisedTextSchema,
        /** In council.yaml, relative to the knowledge folder; in loaded knowledge, the file's absolute path. */
        logo: logoPath,
        logoAlt: localisedTextSchema,
        /** `primary` for the header, `accent` for buttons and links; each defaults to GOV.UK's colour. */
        colours: z
            .object({
                primary: colourUnderWhiteText.default(defaultBrandColours.primary),
                accent: colourUnderWhiteText.default(defaultBrandColours.accent),
            })
            .strict()
            .prefault({}),
    })
    .strict();
export type Branding = z.infer<typeof brandingSchema>;

export const councilSchema = z
    .object({
        name: z.string().trim().min(1),
        shortName: z.string().trim().min(1).optional(),
        website: url,
        phone: ukPhone,
        email: z.email({ error: 'expected an email address' }).optional(),
        timezone: z.string().default('Europe/London'),
        address: z
            .object({
                lines: z.array(z.string().trim().min(1)).min(1),
                town: z.string().trim().min(1),
                postcode: z.string().trim().min(5),
            })
            .strict(),
        openingHours: weekHours,
        bankHolidays: z.array(isoDate).default([]),
        emergencyNumbers: z
            .array(
                z
                    .object({
                        title: localisedTextSchema,
                        phone: ukPhone,
                        when: localisedTextSchema,
                    })
                    .strict(),
            )
            .min(1, 'expected at least one out-of-hours emergency number'),
        teams: z
            .array(
                z
                    .object({
                        id,
                        name: z.string().trim().min(1),
                        queue: z.string().trim().min(1).optional(),
                        email: z.email({ error: 'expected an email address' }).optional(),
                        delivery: teamDeliverySchema.optional(),
                    })
                    .strict(),
            )
            .min(1, 'expected at least one team that can receive cases'),
        /**
         * When agents answer in the chat itself. Without it residents are only offered phone or email. A chat no
         * agent claims within `unclaimedMinutes`, or still waiting when live chat closes, falls back to the
         * resident's phone or email.
         */
        liveChat: z
            .object({
                openingHours: weekHours,
                unclaimedMinutes: z.number().int().min(1).max(240),
            })
            .strict()
            .optional(),
        topTasks: z.array(id).default([]),
        /** The team that receives cases not about a particular service. */
        defaultTeam: id,
        /** The start of every case reference, e.g. "ATB" for ATB-7K3F9. */
        caseReferencePrefix: z.string().regex(/^[A-Z]{2,4}$/, 'expected 2 to 4 capital letters, e.g. "ATB"'),
        branding: brandingSchema,
    })
    .strict();
export type Council = z.infer<typeof councilSchema>;

export const serviceSchema = z
    .object({
        id,
        title: localisedTextSchema,
        answer: localisedTextSchema,
        phrases: z.array(z.string().trim().min(2, 'expected a phrase of two or more characters')).min(8, {
            message: 'expected at least 8 phrases, written the way residents type them',
        }),
        links: z.array(z.object({ title: localisedTextSchema, url }).strict()).default([]),
        contact: contactSchema.optional(),
        provider: z
            .object({
                name: z.string().trim().min(1),
                url: url.optional(),
                phone: ukPhone.optional(),
            })
            .strict()
            .optional(),
        related: z.array(id).default([]),
        lgsl: z.number().int().positive().optional(),
        customerType: z.enum(['resident', 'business']).default('resident'),
        handoff: z
            .object({
                team: id,
                always: z.boolean().default(false),
                needsAddress: z.boolean().default(false),
            })
            .strict()
            .optional(),
    })
    .strict();
export type Service = z.infer<typeof serviceSchema>;

/** A services file: a list of services, each validated with `serviceSchema` on its own. */
export const serviceFileSchema = z.object({ services: z.array(z.unknown()).min(1) }).strict();

/** An origin a partner site embeds the assistant from, exactly as browsers send it (see origin.ts). */
const origin = z.string().superRefine((text, context) => {
    const problem = originProblem(text);
    if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** A partner site (housing association, parish council, library …) that embeds the assistant on its pages. */
export const siteSchema = z
    .object({
        id,
        name: z.string().trim().min(1),
        /** The only pages allowed to embed the assistant as this site; an origin belongs to one site. */
        allowedOrigins: z.array(origin).min(1, 'expected at least one origin, such as "https://www.example.org"'),
        /** The assistant's first message on this site, in place of conversation.yaml's welcome. */
        welcome: localisedTextSchema,
        /** The launcher button and the chat's accent; white text sits on it. */
        accentColour: colourUnderWhiteText,
        /** Services offered as buttons when the chat opens on this site. */
        featuredServices: z.array(id).default([]),
        /** The launcher button's text; the loader fills in the council's `branding.assistantName` when absent. */
        launcherLabel: localisedTextSchema.optional(),
    })
    .strict();
export type SiteDefinition = z.infer<typeof siteSchema>;

/** sites.yaml: a list of partner sites, each validated with `siteSchema` on its own. */
export const siteFileSchema = z.object({ sites: z.array(z.unknown()) }).strict();

export const safetySchema = z
    .object({
        words: wordLists,
        rules: z
            .array(
                z
                    .object({
                        id,
                        title: z.string().trim().min(1),
                        phrases,
                        message: localisedTextSchema,
                    })
                    .strict(),
            )
            .min(1),
    })
    .strict();
export type SafetyRuleDefinition = z.infer<typeof safetySchema>['rules'][number];

const text = localisedTextSchema;
/** Words or short phrases a message is checked for (not whole messages, unlike `phrases`). */
const cueWords = z.array(z.string().trim().min(1, 'expected a word')).min(1, 'expected at least one word');
export const conversationSchema = z
    .object({
        words: wordLists,
        welcome: text,
        help: text,
        clarify: text,
        somethingElse: text,
        /** "Did you mean" with only one service: a yes/no question, `{service}` its title. */
        clarifyOne: z
            .object({
                question: text,
                yes: text,
                no: text,
                /** Other ways of saying yes or no to it, matched as the whole message. */
                yesPhrases: phrases,
                noPhrases: phrases,
            })
            .strict(),
        rephrase: text,
        notKnown: text,
        notKnownAgain: text,
        /** After a long message it did not understand: the closest services as choices, before giving up. */
        notKnownChoices: z
            .object({
                question: text,
                none: text,
                /** Other ways of saying none of them, matched as the whole message. */
                nonePhrases: phrases,
            })
            .strict(),
        /**
         * A short message after an answer that refers back to it ("how much is it", "and the green bin?") is
         * answered about that service or a related one. These words are how a message refers back.
         */
        followUp: z
            .object({
                /** Words that point back at what was just answered ("it", "they"). */
                pointers: cueWords,
                /** How a message that carries on from the last one starts ("and", "what about"). */
                openings: cueWords,
                /** Words that ask about a service without naming one ("cost", "online", "opening hours"). */
                askWords: cueWords,
            })
            .strict(),
        goodbye: text,
        startAgain: text,
        cancelled: text,
        error: text,
        tooLong: text,
        /** The answer to a greeting on its own: what the assistant can do (the top tasks follow as buttons). */
        greeting: text,
        /** The answer to thanks on its own: a polite close, and that more questions are welcome. */
        thanks: text,
        /** Said when a resident typed a card number (it was hidden): never type card details, and how to pay. */
        cardDetails: text,
        attachment: text,
        providerIntro: text,
        contactIntro: text,
        relatedIntro: text,
        contactLabels: z.object({ phone: text, email: text, website: text }).strict(),
        dayNames: z
            .object({
                today: text,
                tomorrow: text,
                monday: text,
                tuesday: text,
                wednesday: text,
                thursday: text,
                friday: text,
                saturday: text,
                sunday: text,
            })
            .strict(),
        feedback: z
            .object({
                question: text,
                yes: text,
                no: text,
                thanks: text,
                sorry: text,
                /** Other ways of saying yes or no to the feedback question, matched as the whole message. */
                yesPhrases: phrases,
                noPhrases: phrases,
            })
            .strict(),
        person: z.object({ action: text, intro: text, openNow: text, closedNow: text, emergencyIntro: text }).strict(),
        safety: z.object({ offerPerson: text }).strict(),
        /** The case capture dialog's words. */
        case: z
            .object({
                intro: text,
                askName: text,
                askContactMethod: text,
                methods: z.object({ chat: text, phone: text, email: text }).strict(),
                /** Asked after "carry on in this chat": how to follow up if no adviser can join. */
                askFallback: text,
                askPhone: text,
                invalidPhone: text,
                askEmail: text,
                invalidEmail: text,
                askAddress: text,
                askConsent: text,
                consentYes: text,
                consentNo: text,
                noConsent: text,
                summary: text,
                labels: z.object({ about: text, name: text, contact: text, address: text }).strict(),
                /** The summary's contact line for a live chat, with `{detail}` the fallback phone or email. */
                chatContact: text,
                confirmQuestion: text,
                confirm: text,
                change: text,
                whichChange: text,
                received: text,
                storeFailed: text,
                /** One connection has made as many cases as it may in an hour (RATE_LIMIT_CASES_PER_HOUR). */
                tooMany: text,
            })
            .strict(),
        /** The words around the chat on the web page and the partner-site launcher. */
        page: z
            .object({
                skipLink: text,
                /** The chat region's accessible name, with `{assistant}`. */
                chatLabel: text,
                loading: text,
                /** Without JavaScript, with `{website}`. */
                needsJavaScript: text,
                unavailable: text,
                closeChat: text,
            })
            .strict(),
        /** Live chat with an adviser, after the case is stored. */
        liveChat: z
            .object({
                queued: text,
                joined: text,
                ended: text,
                timedOut: text,
                left: text,
                endAction: text,
                /** When a message is longer than MAX_MESSAGE_LENGTH: the adviser gets its beginning. */
                tooLong: text,
                /** Other ways of leaving the chat, matched as the whole message. */
                endPhrases: phrases,
                /** After a handoff.status "failed" event from an omnichannel platform. */
                handoffFailed: text,
                /**
                 * How each line an adviser types reaches the resident, so it reads apart from the assistant's:
                 * {agent} is their first name, {team} the team's name, {text} what they typed.
                 */
                agentLine: text
                    .default('{agent} ({team}): {text}')
                    .refine(
                        (line) =>
                            (typeof line === 'string' ? [line] : Object.values(line)).every((t) =>
                                t.includes('{text}'),
                            ),
                        'expected {text} where what the adviser typed goes, in every language',
                    ),
            })
            .strict(),
        commands: z
            .object({
                help: phrases,
                startAgain: phrases,
                cancel: phrases,
                goodbye: phrases,
                person: phrases,
                /** A message that is only a greeting ("hello", "good morning"), answered with `greeting`. */
                greeting: phrases,
                /** A message that is only thanks ("thanks", "cheers"), answered with `thanks`. */
                thanks: phrases,
            })
            .strict(),
    })
    .strict();
export type ConversationText = z.infer<typeof conversationSchema>;

/** One word as residents type it: letters (any alphabet) and digits, no spaces ("bmw", "z3", "wheelybin"). */
const oneWord = z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[\p{L}\p{N}]+$/u, 'expected one word: letters and digits, no spaces or punctuation');

/** A word, or a few words with single spaces between ("out of order"). */
const someWords = z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[\p{L}\p{N}]+(?: [\p{L}\p{N}]+){0,5}$/u, 'expected one to six words of letters and digits');

/**
 * vocabulary.yaml (optional): the council's own words. Under `synonyms`, each word the services use (in their
 * phrases or titles) lists what residents say for it: `poo: [crap, muck]` reads "crap" as "poo", and
 * `broken: [out of order]` reads "out of order" as "broken".
 */
export const vocabularySchema = z.object({ synonyms: z.record(oneWord, z.array(someWords).min(1)) }).strict();
