import Fuse, { type IFuseOptions } from 'fuse.js';
import { editDistance } from './editDistance';
import { replacements, spellingsBySuffix, stopWords } from './lexicon';
import { asciiDigits, stripPersonalData } from './personalData';
import { stem } from './stemmer';
import type { Meaning } from './vocabulary';

/** Reads a word the knowledge does not use as one it does ("crap" as "poo"); see vocabulary.ts. */
export interface MeaningSource {
    meaningOf(word: string): Meaning | undefined;
    /** A synonym of several words starting at `at` in a message's stemmed words. */
    phraseAt(stems: readonly string[], at: number): { readonly length: number; readonly meaning: Meaning } | undefined;
}

/** How far the normaliser goes in correcting a word it does not know. */
export interface SpellingSettings {
    /** Words shorter than this are never corrected ("bim" could be anything). */
    readonly minWordLength: number;
    /** Edits allowed for a word of up to `shortWordLength` letters; longer words get one more. */
    readonly shortWordEdits: number;
    readonly shortWordLength: number;
    /** The most corrections remembered, so a repeated typo costs one lookup. */
    readonly cacheSize: number;
    /**
     * Lookups (words not known and not remembered) per message at most: beyond, words are taken as typed, so a
     * pasted page of random words costs milliseconds, not seconds. A resident's message needs a handful.
     */
    readonly lookupsPerMessage: number;
}

export const defaultSpellingSettings: SpellingSettings = {
    minWordLength: 4,
    shortWordEdits: 1,
    shortWordLength: 5,
    cacheSize: 5000,
    lookupsPerMessage: 40,
};

/**
 * Fuse options for looking a word up in the knowledge vocabulary. Every option is set, so a Fuse upgrade cannot
 * change behaviour through a default (location 0 and distance 100 would penalise matches by position).
 */
export const vocabularyFuseOptions: Required<IFuseOptions<string>> = {
    isCaseSensitive: false,
    ignoreDiacritics: true,
    includeScore: true,
    includeMatches: false,
    minMatchCharLength: 1,
    shouldSort: true,
    findAllMatches: false,
    keys: [],
    location: 0,
    // A shortlist only: the edit distance decides (see Normaliser.correct).
    threshold: 0.34,
    distance: 100,
    ignoreLocation: true,
    useExtendedSearch: false,
    useTokenSearch: false,
    tokenize: Fuse.config.tokenize,
    tokenMatch: 'any',
    ignoreFieldNorm: true,
    fieldNormWeight: 1,
    getFn: Fuse.config.getFn,
    sortFn: Fuse.config.sortFn,
};

/** A resident's message after normalisation. */
export interface AnalysedText {
    /** Every word in order, corrected and stemmed, stop words kept: for phrase rules such as safety. */
    readonly sequence: readonly string[];
    /** The words that carry meaning (stop words removed), each with how sure the spelling is (1 = exact). */
    readonly terms: ReadonlyMap<string, number>;
    /**
     * Terms that are neither words of the knowledge, nor close to one, nor common English: names, garbled
     * words, local place names. They say little about what is wanted, unlike an English word the knowledge
     * does not use ("dentist"), which suggests the question is about something else.
     */
    readonly unrecognised: ReadonlySet<string>;
    /**
     * A message of more than one sentence, sentence by sentence: a resident's story often has its request in one
     * sentence, and the rest would dilute it. Empty for one sentence (and for the knowledge's own texts).
     */
    readonly sentences: readonly Sentence[];
}

/** One sentence of a longer message. */
export interface Sentence {
    readonly text: AnalysedText;
    /** Asks or requests something ("can I…", "…?", "I want…"), rather than telling the background. */
    readonly asks: boolean;
}

/**
 * Sentence ends: ! ? ; line breaks, and a full stop after a word; not a dot inside a number ("0.1 of a mile"), after
 * an initial ("J. Smith") or in an ellipsis ("damp ... making him ill"), which residents use as a pause.
 */
const sentenceEnd = /(?<=[!?;\n])|(?<=[^\p{N}\s.]{2}\.)(?=\s|$)/u;

/**
 * How a sentence that asks starts (after normalisation), when it has no question mark: a question word with a verb
 * after it ("when is", "how do", "how much"; not "when I came home"), a verb first ("can I", "is it"), or a request.
 */
const askingStarts = new RegExp(
    '^(?:(?:so|and|but|ok|okay|hi|hello|please)\\s+)*(?:' +
        '(?:how|what|when|where|why|who|which)\\s+(?:is|are|was|were|do|does|did|can|could|will|would|should|shall|may|has|have|am|much|many|long|often|happens|about)' +
        '|(?:can|could|do|does|did|is|are|will|would|should|shall|may|am|has|have)\\s+(?:i|we|you|it|my|our|the|there|they|someone|somebody|anyone|a)' +
        '|please|help|i need|i want|i would like|i am looking for|we need|we want|we would like|tell me' +
        ')\\b',
    'u',
);

/** The keys next to each letter on a QWERTY keyboard (a finger that slips lands on one of them). */
const keyboardNeighbours: ReadonlyMap<string, ReadonlySet<string>> = (() => {
    const rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
    // Each row starts a little further right than the one above it.
    const offsets = [0, 0.25, 0.75];
    const keys = rows.flatMap((row, r) => [...row].map((key, i) => ({ key, r, x: i + (offsets[r] as number) })));
    return new Map(
        keys.map(({ key, r, x }) => [
            key,
            new Set(
                keys.filter((k) => k.key !== key && Math.abs(k.r - r) <= 1 && Math.abs(k.x - x) <= 1).map((k) => k.key),
            ),
        ]),
    );
})();

/** Two-letter words that may be half of two words run together ("mybins", "tome" is not "to me"). */
const twoLetterWords: ReadonlySet<string> = new Set(['my', 'me', 'to', 'no', 'up', 'in', 'on', 'of', 'at', 'we', 'us']);

/** A string of its own: a word sliced from a long message would keep the whole message alive in a cache. */
function ownCopy(word: string): string {
    return JSON.parse(JSON.stringify(word)) as string;
}

/** One word of a message as read: its stem (for the sequence) and, unless a stop word, the term it gives. */
interface Reading {
    readonly stemmed: string;
    readonly term?: string;
    readonly certainty?: number;
    readonly unrecognised?: boolean;
    /** A term the word and those after it give together (a council synonym of several words). */
    readonly also?: { readonly term: string; readonly certainty: number };
}

function assemble(readings: readonly Reading[]): AnalysedText {
    const terms = new Map<string, number>();
    const unrecognised = new Set<string>();
    const add = (term: string, certainty: number) => terms.set(term, Math.max(terms.get(term) ?? 0, certainty));
    for (const { term, certainty = 1, unrecognised: unknown, also } of readings) {
        if (also) add(also.term, also.certainty);
        if (term === undefined) continue;
        if (unknown) unrecognised.add(term);
        add(term, certainty);
    }
    return { sequence: readings.map((r) => r.stemmed), terms, unrecognised, sentences: [] };
}

/** Lower-cases, removes accents, personal data and punctuation, and expands contractions and spellings. */
export function normaliseWords(text: string): string[] {
    const cleaned = stripPersonalData(text.normalize('NFKC'))
        .toLowerCase()
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(/['’‘`]/g, '');
    const words: string[] = [];
    const raws = cleaned.match(/[\p{L}\p{N}]+/gu) ?? [];
    raws.forEach((raw, i) => {
        const replaced = replacementsByWord.get(raw);
        if (replaced === undefined) {
            addWord(words, raw, raws[i + 1]);
        } else {
            for (const word of replaced) addWord(words, word, raws[i + 1]);
        }
    });
    return words;
}

// A Map holds own entries only: "constructor" is a word, not Object.prototype.constructor. Split once, here, as
// every knowledge text and message passes through normaliseWords.
const replacementsByWord: ReadonlyMap<string, readonly string[]> = new Map(
    Object.entries(replacements).map(([word, replacement]) => [word, replacement.split(' ')]),
);

/** Ages a child may give, written out, so a safety phrase can say "i am fourteen" for "im 14". */
const youngAges = [
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
    'thirteen',
    'fourteen',
    'fifteen',
    'sixteen',
    'seventeen',
];

/** Words between "i am" and an age ("im only 14"), and units after a number that make it not an age. */
const ageFillers: ReadonlySet<string> = new Set(['only', 'just', 'nearly', 'almost']);
const ageUnits: ReadonlySet<string> = new Set(
    'day days week weeks month months minute minutes min mins hour hours pounds quid percent pence p k miles'.split(
        ' ',
    ),
);

function addWord(words: string[], word: string, next: string | undefined): void {
    if (/^\p{N}+$/u.test(word)) {
        // Numbers say nothing about the service asked for (house numbers, dates), and are dropped; but an age
        // ("i am 14", "im only 14", "aged 12") can say a child is writing. Not "i am 14 days behind".
        const age = youngAges[Number(asciiDigits(word)) - 1];
        const before = words.at(-1) === undefined || !ageFillers.has(words.at(-1) as string) ? -1 : -2;
        const saysAge = ['am', 'aged', 'age'].includes(words.at(before) ?? '') && !ageUnits.has(next ?? '');
        if (age && saysAge) words.push(age);
        return;
    }
    words.push(spellingsBySuffix.reduce((w, [pattern, to]) => w.replace(pattern, to), word));
}

/** True when a message says exactly one of the phrases, ignoring case, punctuation and spelling variants. */
export function saysExactly(message: string, phrases: readonly string[]): boolean {
    const said = normaliseWords(message).join(' ');
    return phrases.some((phrase) => normaliseWords(phrase).join(' ') === said);
}

/** True when a word carries no meaning for routing. */
export function isStopWord(word: string): boolean {
    return stopWords.has(word);
}

/**
 * Turns resident text into matchable terms. Knows the knowledge's vocabulary, so a misspelt word ("recylcing")
 * is corrected to the nearest known word with fuse.js before stemming.
 */
export class Normaliser {
    private readonly known: ReadonlySet<string>;
    private readonly fuse: Fuse<string>;
    /** The longest word corrections can lead to: a longer word is more edits away from all of them than allowed. */
    private readonly longestCandidate: number;
    /** The first letters of the words corrections can lead to (a correction keeps the first letter). */
    private readonly firstLetters: ReadonlySet<string>;
    private readonly corrections = new Map<string, { word: string; weight: number } | null>();

    /**
     * @param vocabulary the words of the knowledge: misspellings are corrected towards these.
     * @param dictionary common English words, taken as meant even when the knowledge does not use them.
     */
    private readonly splits = new Map<string, readonly string[] | null>();

    constructor(
        vocabulary: Iterable<string>,
        private readonly dictionary: ReadonlySet<string> = new Set(),
        private readonly settings: SpellingSettings = defaultSpellingSettings,
        private readonly meanings?: MeaningSource,
    ) {
        this.known = new Set(vocabulary);
        const candidates = [...this.known].filter((w) => w.length >= settings.minWordLength - 1 && !isStopWord(w));
        this.fuse = new Fuse(candidates, vocabularyFuseOptions);
        this.longestCandidate = candidates.reduce((longest, w) => Math.max(longest, w.length), 0);
        this.firstLetters = new Set(candidates.map((w) => w[0] as string));
    }

    /** Normalises, corrects and stems a message, and each of its sentences when it has more than one. */
    analyse(text: string): AnalysedText {
        const parts = text
            .split(sentenceEnd)
            .map((part) => ({ part, words: normaliseWords(part) }))
            .filter(({ words }) => words.length > 0);
        // One budget for the whole message, and every word read once: the sentences are slices of the whole.
        const budget = { lookups: this.settings.lookupsPerMessage };
        const read = parts.map(({ words }) => this.read(words, budget));
        const whole = assemble(read.flat());
        if (parts.length < 2) return whole;
        const sentences = parts.map(({ part, words }, i) => ({
            text: assemble(read[i] as Reading[]),
            asks: part.trim().endsWith('?') || askingStarts.test(words.join(' ')),
        }));
        return { ...whole, sentences };
    }

    /** Corrects and stems words already normalised by `normaliseWords` (the knowledge, normalised once at load). */
    analyseWords(words: readonly string[]): AnalysedText {
        return assemble(this.read(words, { lookups: this.settings.lookupsPerMessage }));
    }

    /** How each word is read: split if run together, corrected, stemmed, and what it means to the knowledge. */
    private read(words: readonly string[], budget: { lookups: number }): Reading[] {
        const split = words.flatMap((w) => this.split(w) ?? [w]);
        // Stemmed once, for the synonyms of several words ("light posts" is "light post").
        const stems = this.meanings ? split.map(stem) : [];
        const readings: Reading[] = [];
        for (let at = 0; at < split.length; at++) {
            const reading = this.readWord(split[at] as string, budget);
            // A council synonym of several words ("out of order") adds what it means to what its words say.
            const phrase = this.meanings?.phraseAt(stems, at);
            readings.push(
                phrase
                    ? { ...reading, also: { term: stem(phrase.meaning.word), certainty: phrase.meaning.weight } }
                    : reading,
            );
        }
        return readings;
    }

    private readWord(word: string, budget: { lookups: number }): Reading {
        // A word the council or WordNet gives a meaning is meant as written ("merc" is a car, not "mercy").
        const meant = this.known.has(word) || isStopWord(word) ? undefined : this.meanings?.meaningOf(word);
        if (meant) return { stemmed: stem(word), term: stem(meant.word), certainty: meant.weight };
        const corrected = this.correct(word, budget);
        const form = corrected?.word ?? word;
        const stemmed = stem(form);
        if (isStopWord(form) || isStopWord(stemmed)) return { stemmed };
        const certainty = corrected?.weight ?? 1;
        // A word the services do not use may mean one they do ("wardrobe" is furniture); the sequence keeps the
        // word as written, for the phrase rules.
        const meaning = this.meanings?.meaningOf(form);
        if (meaning) return { stemmed, term: stem(meaning.word), certainty: meaning.weight * certainty };
        const unrecognised = !corrected && !this.dictionary.has(form);
        return { stemmed, term: stemmed, certainty, unrecognised };
    }

    /**
     * Two words run together ("mybins", "flytipping"): a word nobody knows that splits into two that are known,
     * one of them a word of the knowledge and the other one too or a filler word. Null when it does not split.
     */
    private split(word: string): readonly string[] | null {
        if (word.length < 5 || this.known.has(word) || this.dictionary.has(word) || isStopWord(word)) return null;
        // Two words are at most twice the longest word corrections lead to: a longer run is noise, not a compound.
        if (word.length > 2 * this.longestCandidate) return null;
        const cached = this.splits.get(word);
        if (cached !== undefined) return cached;
        // Both halves are words of the knowledge or filler words ("my bins", "fly tipping"); two-letter halves only
        // everyday ones, not "ma hole".
        const isWord = (w: string) => (w.length > 2 || twoLetterWords.has(w)) && (this.known.has(w) || isStopWord(w));
        let best: readonly string[] | null = null;
        // The longest known word on either side wins: "mybins" is "my bins", not "myb ins".
        let bestLength = 0;
        for (let at = 2; at <= word.length - 2; at++) {
            const left = word.slice(0, at);
            const right = word.slice(at);
            if (!isWord(left) || !isWord(right) || !(this.known.has(left) || this.known.has(right))) continue;
            if (Math.max(left.length, right.length) > bestLength) {
                best = [left, right];
                bestLength = Math.max(left.length, right.length);
            }
        }
        // A slip in one word ("hisband", "boyfiend") is likelier than two words run together ("his band"). Checked
        // only when the word splits at all, which random letters rarely do, so a pasted page stays cheap.
        if (best && this.oneSlipAway(word)) best = null;
        return this.rememberSplit(word, best);
    }

    private rememberSplit(word: string, split: readonly string[] | null): readonly string[] | null {
        if (this.splits.size >= this.settings.cacheSize) this.splits.clear();
        // A copy of the word, not a slice of the message it came from, which the cache would otherwise keep whole.
        this.splits.set(ownCopy(word), split);
        return split;
    }

    /**
     * The likeliest word one slip from a word (keeping its first letter), among the knowledge's words and common
     * English: first the likeliest slip (a key hit twice or missed, two keys swapped, a neighbouring key on a
     * QWERTY keyboard), then filler words, so common that a slip is far likelier one of them ("shouls" is
     * "should"), then the knowledge's words, then other English words ("whene" is "when", not "where").
     */
    private oneSlipAway(word: string): string | undefined {
        let best: { word: string; rank: number } | undefined;
        const consider = (candidate: string, slip: number) => {
            const source = isStopWord(candidate)
                ? 0
                : this.known.has(candidate)
                  ? 1
                  : this.dictionary.has(candidate)
                    ? 2
                    : undefined;
            if (source === undefined) return;
            const rank = slip * 3 + source;
            if (!best || rank < best.rank) best = { word: candidate, rank };
        };
        for (let i = 1; i <= word.length; i++) {
            const head = word.slice(0, i);
            const tail = word.slice(i);
            const next = tail[0];
            if (next !== undefined) consider(head + tail.slice(1), 0);
            if (next !== undefined && tail.length > 1) consider(head + (tail[1] as string) + next + tail.slice(2), 0);
            for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
                consider(head + letter + tail, 0);
                if (next !== undefined && letter !== next) {
                    consider(head + letter + tail.slice(1), keyboardNeighbours.get(next)?.has(letter) ? 0 : 1);
                }
            }
        }
        return best?.word;
    }

    /** The word a word stands for, with a weight below 1 when it was a correction; null when unknown. */
    private correct(word: string, budget: { lookups: number }): { word: string; weight: number } | null {
        if (this.known.has(word) || isStopWord(word)) return { word, weight: 1 };
        if (word.length < this.settings.minWordLength || /\p{N}/u.test(word) || this.dictionary.has(word)) return null;
        const edits =
            word.length <= this.settings.shortWordLength
                ? this.settings.shortWordEdits
                : this.settings.shortWordEdits + 1;
        // Each Fuse search costs milliseconds, more for a long word (a pasted run of letters took seconds). Skip the
        // words it cannot correct: no known word is within `edits` of a much longer one, or starts differently.
        if (word.length > this.longestCandidate + edits || !this.firstLetters.has(word[0] as string)) return null;
        // A remembered word still spends the budget, so a message is read the same whatever came before it.
        if (budget.lookups <= 0) return null;
        budget.lookups -= 1;
        const cached = this.corrections.get(word);
        if (cached !== undefined) return cached;
        const slip = this.oneSlipAway(word);
        if (slip) return this.remember(word, { word: slip, weight: 1 - 1 / word.length });
        if (edits < 2) return this.remember(word, null);
        let best: { word: string; weight: number } | null = null;
        // Two slips in a longer word: Fuse shortlists the knowledge's words, and the edit distance decides, because
        // Fuse scores a word found inside a longer one ("tax" in "taxi") as exact. Typos rarely change the first
        // letter, so a correction keeps it.
        for (const { item } of this.fuse.search(word, { limit: 20 })) {
            if (item[0] !== word[0]) continue;
            const distance = editDistance(word, item, edits);
            if (distance <= edits && (!best || 1 - distance / word.length > best.weight)) {
                best = { word: item, weight: 1 - distance / word.length };
            }
        }
        return this.remember(word, best);
    }

    private remember<T extends { word: string; weight: number } | null>(word: string, correction: T): T {
        if (this.corrections.size >= this.settings.cacheSize) this.corrections.clear();
        this.corrections.set(ownCopy(word), correction);
        return correction;
    }
}
