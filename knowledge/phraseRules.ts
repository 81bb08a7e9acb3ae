import type { AnalysedText, Normaliser } from './normaliser';

/** How a phrase rule is found in a message. */
export interface PhraseRuleOptions {
    /**
     * `contains`: the phrase's words appear in order anywhere in the message (with at most `maxGap` other words
     * between them). `whole`: the message is the phrase, give or take courtesy words ("help please").
     */
    readonly mode: 'contains' | 'whole';
    readonly maxGap: number;
    /**
     * In `contains` mode, a one-word phrase ("agent") only counts in a short message of at most this many meaningful
     * words: "my letting agent won't fix the damp" is not a request for a person.
     */
    readonly singleWordMaxTerms: number;
}

/** Words ignored when comparing a whole message with a phrase. */
const courtesy = new Set([
    'please',
    'thanks',
    'thank',
    'you',
    'ok',
    'okay',
    'hi',
    'hello',
    'just',
    'now',
    'oh',
    'right',
]);

interface Rule<T> {
    readonly words: readonly string[];
    readonly value: T;
}

/** Finds which of a set of phrases a message says: safety rules, commands, asking for a person. */
export class PhraseRules<T> {
    private readonly rules: Rule<T>[];
    /** Rules by their first word, so a message is compared only with the phrases that can start in it. */
    private readonly byFirstWord = new Map<string, Rule<T>[]>();

    constructor(
        entries: Iterable<{ phrase: string; value: T }>,
        normaliser: Normaliser,
        private readonly options: PhraseRuleOptions,
    ) {
        this.rules = [...entries]
            .map(({ phrase, value }) => ({ words: this.prepare(normaliser.analyse(phrase).sequence), value }))
            .filter((rule) => rule.words.length > 0)
            // Longer phrases first, so the most specific rule wins.
            .sort((a, b) => b.words.length - a.words.length);
        for (const rule of this.rules) {
            const first = rule.words[0] as string;
            this.byFirstWord.set(first, [...(this.byFirstWord.get(first) ?? []), rule]);
        }
    }

    /** The value of the first rule the message says, if any. */
    find(message: AnalysedText): T | undefined {
        const words = this.prepare(message.sequence);
        const present = new Set(words);
        const candidates = [...present]
            .flatMap((word) => this.byFirstWord.get(word) ?? [])
            .sort((a, b) => b.words.length - a.words.length);
        for (const rule of candidates) {
            if (this.options.mode === 'whole') {
                if (rule.words.length === words.length && rule.words.every((w, i) => w === words[i])) return rule.value;
            } else if (rule.words.length === 1 && message.terms.size > this.options.singleWordMaxTerms) {
                continue;
            } else if (containsInOrder(words, rule.words, this.options.maxGap)) {
                return rule.value;
            }
        }
        return undefined;
    }

    private prepare(sequence: readonly string[]): readonly string[] {
        return this.options.mode === 'whole' ? sequence.filter((w) => !courtesy.has(w)) : sequence;
    }
}

function containsInOrder(words: readonly string[], phrase: readonly string[], maxGap: number): boolean {
    for (let start = 0; start < words.length; start++) {
        if (words[start] !== phrase[0]) continue;
        let at = start;
        let matched = 1;
        while (matched < phrase.length) {
            let next = -1;
            for (let j = at + 1; j <= Math.min(words.length - 1, at + 1 + maxGap); j++) {
                if (words[j] === phrase[matched]) {
                    next = j;
                    break;
                }
            }
            if (next < 0) break;
            at = next;
            matched++;
        }
        if (matched === phrase.length) return true;
    }
    return false;
}
