import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadKnowledge, phraseKey, type KnowledgeService } from '../../knowledge/loader';
import { isStopWord, normaliseWords } from '../../knowledge/normaliser';
import type { LocalisedText, Service } from '../../knowledge/schema';
import { stem } from '../../knowledge/stemmer';
import { pick, seededRandom, shuffled } from './random';

/** A knowledge folder written for a benchmark; `remove` deletes it. */
export interface GeneratedKnowledge {
    readonly dir: string;
    readonly services: number;
    remove(): void;
}

// Generated services are written this many to a file, like a council's area files.
const servicesPerFile = 100;

/** The words of a phrase as typed, with the positions of those that carry meaning (and can be swapped). */
function contentTokens(phrase: string): { tokens: string[]; content: number[] } {
    const tokens = phrase.split(/\s+/).filter(Boolean);
    const content = tokens.flatMap((token, i) => {
        const words = normaliseWords(token);
        return words.length === 1 && /^\p{L}{3,}$/u.test(words[0] as string) && !isStopWord(words[0] as string)
            ? [i]
            : [];
    });
    return { tokens, content };
}

function mapText(text: LocalisedText, change: (t: string) => string): LocalisedText {
    return typeof text === 'string'
        ? change(text)
        : Object.fromEntries(Object.entries(text).map(([language, t]) => [language, change(t)]));
}

/** A loaded service as it is written in YAML (without the file it came from). */
function withoutFile(service: KnowledgeService): Service {
    return Object.fromEntries(Object.entries(service).filter(([key]) => key !== 'file')) as Service;
}

/**
 * Makes up words that the sample does not use by splicing the start of one sample word onto the end of another
 * ("recy" + "ment"): a larger knowledge brings new vocabulary (place names, scheme names), and the normaliser's
 * spelling index grows with it.
 */
function newWords(random: () => number, sampleWords: readonly string[], taken: Set<string>): () => string {
    const stems = new Set([...taken].map(stem));
    return () => {
        for (;;) {
            const head = pick(random, sampleWords).slice(0, 3 + Math.floor(random() * 2));
            const tail = pick(random, sampleWords).slice(-3 - Math.floor(random() * 2));
            const word = head + tail;
            if (!/^[a-z]{6,10}$/.test(word) || taken.has(word) || isStopWord(word) || stems.has(stem(word))) continue;
            taken.add(word);
            stems.add(stem(word));
            return word;
        }
    };
}

/**
 * Services derived from the sample's, deterministically from `seed`, so that the sample's services plus these
 * number `count`. Each takes a sample service's fields and rewrites its phrases with a word of its own and words
 * of another service, keeping every phrase's matching key unique across services (as the loader requires).
 */
export function generateServices(sample: readonly KnowledgeService[], count: number, seed: number): Service[] {
    if (count < sample.length) throw new Error(`count ${count} is below the sample's ${sample.length} services`);
    const random = seededRandom(seed);
    const vocabulary = new Set(
        sample.flatMap((s) => [...s.phrases, ...(typeof s.title === 'string' ? [s.title] : Object.values(s.title))]),
    );
    const sampleWords = [...new Set([...vocabulary].flatMap((t) => normaliseWords(t)))]
        .filter((w) => /^[a-z]{5,}$/.test(w))
        .sort();
    const nextWord = newWords(random, sampleWords, new Set([...vocabulary].flatMap((t) => normaliseWords(t))));
    const owners = new Map<string, string>();
    for (const s of sample) for (const p of s.phrases) owners.set(phraseKey(p), s.id);

    const generated: Service[] = [];
    for (let n = sample.length; n < count; n++) {
        const base = pick(random, sample);
        const donor = pick(random, sample);
        const word = nextWord();
        const id = `${base.id}-${word}`;
        const Word = word[0]?.toUpperCase() + word.slice(1);
        const donorWords = donor.phrases.flatMap((p) => {
            const { tokens, content } = contentTokens(p);
            return content.map((i) => tokens[i] as string);
        });
        const phrases: string[] = [];
        const accept = (phrase: string): boolean => {
            const key = phraseKey(phrase);
            const owner = owners.get(key);
            if (!key || (owner !== undefined && owner !== id) || phrases.includes(phrase)) return false;
            owners.set(key, id);
            phrases.push(phrase);
            return true;
        };
        for (const phrase of shuffled(random, base.phrases)) {
            const { tokens, content } = contentTokens(phrase);
            const roll = random();
            const swapAt = content.length > 0 ? pick(random, content) : -1;
            const swap = (to: string) => tokens.map((t, i) => (i === swapAt ? to : t)).join(' ');
            const variant =
                roll < 0.35 || swapAt < 0
                    ? `${phrase} ${word}`
                    : roll < 0.7 && donorWords.length > 0
                      ? swap(pick(random, donorWords))
                      : swap(word);
            if (!accept(variant)) accept(`${variant} ${word}`);
        }
        // Rarely needed: a short base service whose variants collided; a second new word always makes a new key.
        while (phrases.length < 8) accept(`${word} ${nextWord()}`);
        generated.push({
            ...withoutFile(base),
            id,
            title: mapText(base.title, (t) => `${t} (${Word})`),
            answer: mapText(base.answer, (t) => `In ${Word}: ${t}`),
            phrases,
            related: [base.id],
        });
    }
    return generated;
}

/**
 * Writes a knowledge folder of `count` services to a temporary directory: a copy of the sample folder (council,
 * safety, conversation, sites, logo and its services) plus generated services, ready for the real loader.
 */
export function writeGeneratedKnowledge(sampleDir: string, count: number, seed: number): GeneratedKnowledge {
    const sample = loadKnowledge(sampleDir);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-knowledge-${count}-`));
    fs.cpSync(sampleDir, dir, { recursive: true });
    const services = generateServices(sample.services, count, seed);
    for (let i = 0; i < services.length; i += servicesPerFile) {
        const file = path.join(
            dir,
            'services',
            `zz-generated-${String(i / servicesPerFile + 1).padStart(4, '0')}.yaml`,
        );
        fs.writeFileSync(file, stringify({ services: services.slice(i, i + servicesPerFile) }, { lineWidth: 0 }));
    }
    return { dir, services: count, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
