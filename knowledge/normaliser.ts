import Fuse, { type IFuseOptions } from 'fuse.js';
import { editDistance } from './editDistance';
import { replacements, spellingsBySuffix, stopWords } from './lexicon';
import { stripPersonalData } from './personalData';
import { stem } from './stemmer';

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
}

/** Lower-cases, removes accents, personal data and punctuation, and expands contractions and spellings. */
export function normaliseWords(text: string): string[] {
    const cleaned = stripPersonalData(text.normalize('NFKC'))
        .toLowerCase()
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(/['’‘`]/g, '');
    const words: string[] = [];
    for (const raw of cleaned.match(/[\p{L}\p{N}]+/gu) ?? []) {
        const replaced = replacementsByWord.get(raw);
        if (replaced === undefined) {
            addWord(words, raw);
        } else {
            for (const word of replaced) addWord(words, word);
        }
    }
    return words;
}

// A Map holds own entries only: "constructor" is a word, not Object.prototype.constructor. Split once, here, as
// every knowledge text and message passes through normaliseWords.
const replacementsByWord: ReadonlyMap<string, readonly string[]> = new Map(
    Object.entries(replacements).map(([word, replacement]) => [word, replacement.split(' ')]),
);

function addWord(words: string[], word: string): void {
    if (/^\p{N}+$/u.test(word)) return;
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
    constructor(
        vocabulary: Iterable<string>,
        private readonly dictionary: ReadonlySet<string> = new Set(),
        private readonly settings: SpellingSettings = defaultSpellingSettings,
    ) {
        this.known = new Set(vocabulary);
        const candidates = [...this.known].filter((w) => w.length >= settings.minWordLength - 1 && !isStopWord(w));
        this.fuse = new Fuse(candidates, vocabularyFuseOptions);
        this.longestCandidate = candidates.reduce((longest, w) => Math.max(longest, w.length), 0);
        this.firstLetters = new Set(candidates.map((w) => w[0] as string));
    }

    /** Normalises, corrects and stems a message. */
    analyse(text: string): AnalysedText {
        return this.analyseWords(normaliseWords(text));
    }

    /** Corrects and stems words already normalised by `normaliseWords` (the knowledge, normalised once at load). */
    analyseWords(words: readonly string[]): AnalysedText {
        const sequence: string[] = [];
        const terms = new Map<string, number>();
        const unrecognised = new Set<string>();
        const budget = { lookups: this.settings.lookupsPerMessage };
        for (const word of words) {
            const corrected = this.correct(word, budget);
            const form = corrected?.word ?? word;
            const stemmed = stem(form);
            sequence.push(stemmed);
            if (isStopWord(form) || isStopWord(stemmed)) continue;
            if (!corrected && !this.dictionary.has(form)) unrecognised.add(stemmed);
            const weight = corrected?.weight ?? 1;
            terms.set(stemmed, Math.max(terms.get(stemmed) ?? 0, weight));
        }
        return { sequence, terms, unrecognised };
    }

    /** The known word a word stands for, with a weight below 1 when it was a correction; null when unknown. */
    private correct(word: string, budget: { lookups: number }): { word: string; weight: number } | null {
        if (this.known.has(word) || isStopWord(word)) return { word, weight: 1 };
        if (word.length < this.settings.minWordLength || /\p{N}/u.test(word) || this.dictionary.has(word)) return null;
        const cached = this.corrections.get(word);
        if (cached !== undefined) return cached;

        const edits =
            word.length <= this.settings.shortWordLength
                ? this.settings.shortWordEdits
                : this.settings.shortWordEdits + 1;
        // Each Fuse search costs milliseconds, more for a long word (a pasted run of letters took seconds). Skip the
        // words it cannot correct: no known word is within `edits` of a much longer one, or starts differently.
        if (word.length > this.longestCandidate + edits || !this.firstLetters.has(word[0] as string)) return null;
        if (budget.lookups <= 0) return null;
        budget.lookups -= 1;
        let best: { word: string; weight: number } | null = null;
        // Fuse shortlists; the edit distance decides, because Fuse scores a word found inside a longer one
        // ("tax" in "taxi") as exact. Typos rarely change the first letter, so a correction keeps it.
        for (const { item } of this.fuse.search(word, { limit: 20 })) {
            if (item[0] !== word[0]) continue;
            const distance = editDistance(word, item, edits);
            if (distance <= edits && (!best || 1 - distance / word.length > best.weight)) {
                best = { word: item, weight: 1 - distance / word.length };
            }
        }
        if (this.corrections.size >= this.settings.cacheSize) this.corrections.clear();
        this.corrections.set(word, best);
        return best;
    }
}
