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
}

export const defaultSpellingSettings: SpellingSettings = {
    minWordLength: 4,
    shortWordEdits: 1,
    shortWordLength: 5,
    cacheSize: 5000,
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
        const replaced = replacements[raw] ?? raw;
        for (const word of replaced.split(' ')) {
            if (/^\p{N}+$/u.test(word)) continue;
            words.push(spellingsBySuffix.reduce((w, [pattern, to]) => w.replace(pattern, to), word));
        }
    }
    return words;
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
    }

    /** Normalises, corrects and stems a message. */
    analyse(text: string): AnalysedText {
        const sequence: string[] = [];
        const terms = new Map<string, number>();
        const unrecognised = new Set<string>();
        for (const word of normaliseWords(text)) {
            const corrected = this.correct(word);
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
    private correct(word: string): { word: string; weight: number } | null {
        if (this.known.has(word) || isStopWord(word)) return { word, weight: 1 };
        if (word.length < this.settings.minWordLength || /\p{N}/u.test(word) || this.dictionary.has(word)) return null;
        const cached = this.corrections.get(word);
        if (cached !== undefined) return cached;

        const edits =
            word.length <= this.settings.shortWordLength
                ? this.settings.shortWordEdits
                : this.settings.shortWordEdits + 1;
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
