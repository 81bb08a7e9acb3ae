import type { KnowledgeEngine, Understanding } from './engine';
import type { KnowledgeService } from './loader';
import { allVersions } from './localise';
import type { RouteDecision } from './router';

/** The service last answered, and when: what a follow-up ("how much is it") can refer to. */
export interface Subject {
    readonly serviceId: string;
    /** When it was answered, in milliseconds since 1970. */
    readonly at: number;
    /** Which of the resident's messages it answered (they are numbered from the start of the conversation). */
    readonly message: number;
}

/** When a message counts as a follow-up, and how the service it refers to is chosen. */
export interface FollowUpSettings {
    /** A follow-up is one of this many messages after the one answered; later, the subject is forgotten. */
    readonly maxMessagesAfter: number;
    /** …and comes within this many minutes of the answer. */
    readonly maxMinutesAfter: number;
    /** At most this many words, small words included: a longer message says what it is about. */
    readonly maxWords: number;
    /**
     * The least score, in the message's own candidates, for the answered service or a related one to be chosen
     * for the message's words ("and the green bin?"): below it, the words do not point there.
     */
    readonly familyFloor: number;
    /** The answered service is kept over a related one that scores at most this much more for the message's words. */
    readonly subjectBand: number;
    /**
     * An answer on its own with at least this score is confident: outside the answered service's family it makes
     * the message a new question ("how do I pay council tax" after a bin answer).
     */
    readonly confidentScore: number;
}

/**
 * Measured on follow-ups written for the sample (an answered service, then what a resident might type next) and on
 * every service question of test/eval/cases.yaml, dev.yaml and real/tuning.yaml sent right after an answer about
 * each other service: a fresh question is almost never taken as a follow-up (the ones that are ask for a phone
 * number or how to get in touch, and get the answered service's own contact). Letting a low-scoring answer on its
 * own count as doubt, or the answered service win a near tie without a cue, doubled those mistakes.
 */
export const defaultFollowUpSettings: FollowUpSettings = {
    maxMessagesAfter: 3,
    maxMinutesAfter: 10,
    maxWords: 10,
    familyFloor: 0.3,
    subjectBand: 0.2,
    confidentScore: 0.6,
};

/**
 * Why a message was taken as a follow-up:
 * - `asks-about-it`: it has no words that name a subject, only words that ask about one ("how much is it",
 *   "what are your opening hours");
 * - `refers-back`: it points back with a word such as "it" or "they" and does not clearly route elsewhere;
 * - `carries-on`: it starts like a continuation ("and …", "what about …") and its words fit the answered service
 *   or a related one;
 * - `unsure-alone`: on its own it got no answer (a "Did you mean" or not known), and the answered service or a
 *   related one is among the services it could be.
 */
export type FollowUpRule = 'asks-about-it' | 'refers-back' | 'carries-on' | 'unsure-alone';

/** A message understood in the context of the last answer: the service to answer, and why. */
export interface FollowUp {
    readonly service: KnowledgeService;
    /** The service the message followed up (the same as `service`, or one it lists as related). */
    readonly subject: KnowledgeService;
    readonly rule: FollowUpRule;
}

/** One message, as the dialog knows it. */
export interface FollowUpMessage {
    readonly understood: Understanding;
    /** How the message routes on its own. */
    readonly decision: RouteDecision;
    /** Its number in the conversation, counted as `Subject.message` is. */
    readonly number: number;
    /** When it came, in milliseconds since 1970. */
    readonly at: number;
}

/** The follow-up words of conversation.yaml, normalised as messages are. */
interface Cues {
    readonly pointers: readonly (readonly string[])[];
    readonly openings: readonly (readonly string[])[];
    readonly askTerms: ReadonlySet<string>;
}

interface Compiled {
    readonly cues: Cues;
    /** Each service's meaningful words (title, phrases and answer), computed when first needed. */
    readonly serviceTerms: Map<string, ReadonlySet<string>>;
}

const compiledByEngine = new WeakMap<KnowledgeEngine, Compiled>();

function compiled(engine: KnowledgeEngine): Compiled {
    let found = compiledByEngine.get(engine);
    if (!found) {
        const { pointers, openings, askWords } = engine.knowledge.conversation.followUp;
        const sequences = (texts: readonly string[]) =>
            texts.map((t) => engine.normaliser.analyse(t).sequence).filter((words) => words.length > 0);
        found = {
            cues: {
                pointers: sequences(pointers),
                openings: sequences(openings),
                askTerms: new Set(askWords.flatMap((w) => [...engine.normaliser.analyse(w).terms.keys()])),
            },
            serviceTerms: new Map(),
        };
        compiledByEngine.set(engine, found);
    }
    return found;
}

/** The meaningful words of a service's title, phrases and answer, in every language. */
function termsOf(engine: KnowledgeEngine, service: KnowledgeService): ReadonlySet<string> {
    const { serviceTerms } = compiled(engine);
    let terms = serviceTerms.get(service.id);
    if (!terms) {
        const hours = service.contact?.hours;
        const texts = [
            ...allVersions(service.title),
            ...service.phrases,
            ...allVersions(service.answer),
            ...(hours ? allVersions(hours) : []),
        ];
        terms = new Set(texts.flatMap((t) => [...engine.normaliser.analyse(t).terms.keys()]));
        serviceTerms.set(service.id, terms);
    }
    return terms;
}

/** True when `words` has `phrase` in it, word for word (at its start when `atStart`). */
function saysPhrase(words: readonly string[], phrase: readonly string[], atStart = false): boolean {
    const last = atStart ? 0 : words.length - phrase.length;
    for (let from = 0; from <= last; from++) {
        if (phrase.every((w, i) => words[from + i] === w)) return true;
    }
    return false;
}

/** True while a follow-up may still refer to the subject: a few messages and minutes after the answer. */
export function isSubjectLive(
    subject: Subject,
    message: { readonly number: number; readonly at: number },
    settings: FollowUpSettings = defaultFollowUpSettings,
): boolean {
    const after = message.number - subject.message;
    const minutes = (message.at - subject.at) / 60_000;
    return after >= 1 && after <= settings.maxMessagesAfter && minutes >= 0 && minutes <= settings.maxMinutesAfter;
}

/**
 * Decides whether a message follows up the last answer and, if so, which service answers it: the answered
 * service, or one of its related services when the message's own words point there. Undefined means the message
 * is routed on its own, as a new question. The rules, in order:
 * 1. the subject is live (`isSubjectLive`) and the message short (`maxWords` words, small words included);
 * 2. a message with no meaningful words but those that ask about a service (conversation.yaml's
 *    `followUp.askWords`: cost, time, online, opening hours…) and at least one of those or a pointer word names
 *    nothing of its own: it is about the subject;
 * 3. a message with a pointer word (conversation.yaml's `followUp.pointers`: it, that, they…) whose other words are
 *    all in the subject's title, phrases, answer or opening hours is about the subject, unless on its own it is
 *    answered confidently (`confidentScore`) with a related service;
 * 4. a message answered confidently on its own with a service outside the subject's family (the subject and its
 *    related services) is a new question;
 * 5. anything else needs a cue that it refers back: a pointer word, an opening that carries on
 *    (`followUp.openings`: and, what about…), or no answer on its own;
 * 6. then the best of the family among its own candidates (scoring at least `familyFloor`) answers it, the subject
 *    itself when within `subjectBand` of that; with no family candidate, a pointer word still ties it to the
 *    subject, and anything else is routed on its own.
 */
export function followUp(
    engine: KnowledgeEngine,
    message: FollowUpMessage,
    subject: Subject | undefined,
    settings: FollowUpSettings = defaultFollowUpSettings,
): FollowUp | undefined {
    if (!subject || !isSubjectLive(subject, message, settings)) return undefined;
    const answered = engine.service(subject.serviceId);
    if (!answered) return undefined;
    const { sequence, terms } = message.understood.text;
    if (sequence.length === 0 || sequence.length > settings.maxWords) return undefined;

    const { cues } = compiled(engine);
    const points = cues.pointers.some((p) => saysPhrase(sequence, p));
    const words = [...terms.keys()];
    const topic = words.filter(
        (t) => !cues.askTerms.has(t) && !cues.pointers.some((p) => p.length === 1 && p[0] === t),
    );
    if (topic.length === 0) {
        // "ok" or "right" on its own asks nothing.
        const asks = words.some((t) => cues.askTerms.has(t));
        return asks || points ? { service: answered, subject: answered, rule: 'asks-about-it' } : undefined;
    }

    const family = new Map<string, KnowledgeService>([[answered.id, answered]]);
    for (const id of answered.related) {
        const service = engine.service(id);
        if (service) family.set(id, service);
    }
    const { decision } = message;
    const inFamily = decision.candidates.filter((c) => family.has(c.service.id) && c.score >= settings.familyFloor);
    const own = inFamily.find((c) => c.service.id === answered.id);
    const confident = decision.outcome === 'answer' && (decision.candidates[0]?.score ?? 0) >= settings.confidentScore;
    const namesRelated = confident && decision.service.id !== answered.id && family.has(decision.service.id);
    // "Is it open on Saturday" after the library: "it" is the library when the library's answer has the words,
    // unless the words on their own name a related service ("what if it's my landlord" after council repairs).
    if (points && !namesRelated && topic.every((t) => termsOf(engine, answered).has(t))) {
        return { service: answered, subject: answered, rule: 'refers-back' };
    }
    if (confident && !family.has(decision.service.id)) return undefined;
    const carriesOn = cues.openings.some((o) => saysPhrase(sequence, o, true));
    // Without a word that refers back, only the router's own doubt (no answer at all) lets the context decide.
    if (!points && !carriesOn && decision.outcome === 'answer') return undefined;

    const rule: FollowUpRule = points ? 'refers-back' : carriesOn ? 'carries-on' : 'unsure-alone';
    const [best] = inFamily;
    if (!best) return points ? { service: answered, subject: answered, rule } : undefined;
    const service = own && best.score - own.score <= settings.subjectBand ? answered : best.service;
    return { service, subject: answered, rule };
}
