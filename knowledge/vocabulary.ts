import { isStopWord, normaliseWords } from './normaliser';
import { stem } from './stemmer';
import { WordNet, type PartOfSpeech } from './wordnet';

/** What a resident's word is taken to mean: a word the services use, and how sure that reading is (below 1). */
export interface Meaning {
    readonly word: string;
    readonly weight: number;
}

/**
 * How sure each kind of reading is. A council's own synonym is nearly certain; a WordNet synonym shares a sense;
 * a kind ("wardrobe" is furniture, "hatchback" a car) says less, and a kind of a kind less again. All stay below
 * an exact word, so a question in the knowledge's own words always wins.
 */
export const meaningWeights = { council: 0.9, synonym: 0.8, kind: 0.7, kindOfKind: 0.6 } as const;

/**
 * Of a word's senses, how many are read (WordNet lists the most frequent first): "tip" as a gratuity or a hint
 * is not the tip a council runs, and a rare sense of a resident's word is not what they meant either.
 */
const sensesRead = 2;

/**
 * The noun senses whose kinds are read: things one can see and report (WordNet's lexicographer files noun.animal,
 * noun.artifact, noun.body, noun.food, noun.object, noun.plant, noun.substance). A kind of a time ("yesterday" is
 * a day) or of an act ("shopping" is buying) says nothing about which service is meant.
 */
const concreteNounFiles: ReadonlySet<number> = new Set([5, 6, 8, 13, 17, 20, 27]);

/** Senses never read at all: times and quantities ("a week", "a lot") are background in every service. */
const backgroundFiles: ReadonlySet<number> = new Set([23, 28]);

/** A word's likely dictionary forms, the word itself first: "wardrobes" → "wardrobe", "dumped" → "dump". */
export function baseForms(word: string): string[] {
    const forms = [word];
    const add = (form: string) => form.length >= 3 && !forms.includes(form) && forms.push(form);
    if (word.endsWith('ies')) add(`${word.slice(0, -3)}y`);
    if (word.endsWith('es')) add(word.slice(0, -2));
    if (word.endsWith('s') && !word.endsWith('ss')) add(word.slice(0, -1));
    if (word.endsWith('ed')) {
        add(word.slice(0, -2));
        add(word.slice(0, -1));
        if (/(.)\1ed$/.test(word)) add(word.slice(0, -3));
    }
    if (word.endsWith('ing')) {
        add(word.slice(0, -3));
        add(`${word.slice(0, -3)}e`);
        if (/(.)\1ing$/.test(word)) add(word.slice(0, -4));
    }
    return forms;
}

/**
 * The words residents use for what the knowledge says, each mapped to one word the services use: from the
 * council's own synonyms (vocabulary.yaml), then from WordNet (synonyms, and more specific kinds of the things the
 * services name). Only words the knowledge does not use are read this way, so the knowledge's own words keep their
 * meaning.
 */
export class Vocabulary {
    private readonly meanings = new Map<string, Meaning>();
    /** A council's synonyms of more than one word, by their first word, longest first. */
    private readonly phrases = new Map<string, { readonly words: readonly string[]; readonly meaning: Meaning }[]>();

    /**
     * @param serviceWords the words of the services' phrases and titles (the only words a meaning can lead to).
     * @param synonyms a council's own: a word the services use → the words residents use for it.
     */
    private readonly serviceWords: ReadonlySet<string>;

    constructor(
        serviceWords: Iterable<string>,
        synonyms: Readonly<Record<string, readonly string[]>> = {},
        wordnet: WordNet | undefined = WordNet.load(),
    ) {
        for (const [word, residents] of Object.entries(synonyms)) {
            for (const resident of residents) {
                const residentWords = normaliseWords(resident);
                if (residentWords.length === 1) this.offer(residentWords[0] as string, word, meaningWeights.council);
                if (residentWords.length < 2) continue;
                const first = stem(residentWords[0] as string);
                const list = this.phrases.get(first) ?? [];
                // Stemmed, so "light posts" is "light post" too.
                list.push({ words: residentWords.map(stem), meaning: { word, weight: meaningWeights.council } });
                list.sort((a, b) => b.words.length - a.words.length);
                this.phrases.set(first, list);
            }
        }
        this.serviceWords = new Set(serviceWords);
        if (!wordnet) return;
        const targets = [...this.serviceWords].filter((w) => w.length >= 3 && !isStopWord(w) && /^\p{L}+$/u.test(w));
        for (const target of targets) {
            for (const pos of ['noun', 'verb'] as const) {
                const senses = baseForms(target)
                    .map((form) => wordnet.senses(form, pos, sensesRead))
                    .find((found) => found.length > 0);
                for (const sense of senses ?? []) this.readSense(wordnet, pos, sense, target);
            }
        }
    }

    /** A council synonym of several words starting at `at` in a message's stemmed words ("out of order"). */
    phraseAt(stems: readonly string[], at: number): { readonly length: number; readonly meaning: Meaning } | undefined {
        for (const phrase of this.phrases.get(stems[at] as string) ?? []) {
            if (phrase.words.every((w, i) => stems[at + i] === w)) {
                return { length: phrase.words.length, meaning: phrase.meaning };
            }
        }
        return undefined;
    }

    /** What a word the services do not use means, if anything (a word they use keeps its own meaning). */
    meaningOf(word: string): Meaning | undefined {
        for (const form of baseForms(word)) {
            if (this.serviceWords.has(form)) return undefined;
            const meaning = this.meanings.get(form);
            if (meaning) return meaning;
        }
        return undefined;
    }

    /** Offers the words of one of a service word's senses, and of its kinds, as meaning that word. */
    private readSense(wordnet: WordNet, pos: PartOfSpeech, sense: number, target: string): void {
        const synset = wordnet.synset(pos, sense);
        if (pos === 'noun' && backgroundFiles.has(synset.lexicographerFile)) return;
        const isMainSense = (word: string, synsetOffset: number) =>
            wordnet.senses(word, pos, sensesRead).includes(synsetOffset);
        for (const word of synset.words) {
            if (isMainSense(word, sense)) this.offer(word, target, meaningWeights.synonym);
        }
        if (pos !== 'noun' || !concreteNounFiles.has(synset.lexicographerFile)) return;
        for (const kind of synset.hyponyms) {
            for (const word of wordnet.synset(pos, kind).words) {
                if (isMainSense(word, kind)) this.offer(word, target, meaningWeights.kind);
            }
            for (const kindOfKind of wordnet.synset(pos, kind).hyponyms) {
                for (const word of wordnet.synset(pos, kindOfKind).words) {
                    if (isMainSense(word, kindOfKind)) this.offer(word, target, meaningWeights.kindOfKind);
                }
            }
        }
    }

    private offer(word: string, target: string, weight: number): void {
        if (word === target || !/^\p{L}+$/u.test(word) || isStopWord(word)) return;
        const current = this.meanings.get(word);
        if (!current || current.weight < weight) this.meanings.set(word, { word: target, weight });
    }
}
