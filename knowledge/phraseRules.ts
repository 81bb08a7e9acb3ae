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
    /**
     * In `contains` mode, the most other words allowed where a phrase says "..." ("mould ... making her ill"): about a
     * sentence, so the two parts of a phrase are not found at the two ends of a long story. `defaultFarGap` if unset.
     */
    readonly farGap?: number;
}

/** The words a phrase's "..." may stand for, unless the options say otherwise. */
export const defaultFarGap = 12;

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

/** One word of a phrase, with the most other words allowed between it and the word before. */
interface PhraseWord {
    readonly word: string;
    readonly gap: number;
}

/** A phrase that ends at a node: which entry it was (the earlier wins a tie) and what it stands for. */
interface Ending<T> {
    readonly order: number;
    readonly value: T;
}

/**
 * One node of the phrases' trie: the words said so far. Phrases share their beginnings, so thousands of phrases
 * built from word lists ("{parent} {hurt} me") cost a message only the few paths its words follow.
 */
interface Node<T> {
    /** Numbers the nodes, to remember which were read at which place in a message. */
    readonly id: number;
    readonly depth: number;
    /** The next words, each with the most other words allowed before it (a word can follow with several gaps). */
    readonly next: Map<string, { gap: number; node: Node<T> }[]>;
    /** The widest gap of any next word: how far ahead of a word the message is read. */
    widest: number;
    ending?: Ending<T>;
}

/**
 * Finds which of a set of phrases a message says: safety rules, commands, asking for a person.
 *
 * In `contains` mode a phrase can say how close its words must be: "..." between two words lets up to `farGap`
 * other words come between them ("mould ... making her ill"), and words in double quotes must follow each other
 * with nothing between ('"open manhole"' is not "opened up around a manhole"). Elsewhere up to `maxGap` words may
 * come between two words. The longest phrase found wins; between phrases of the same length, the one given first.
 */
export class PhraseRules<T> {
    private readonly root: Node<T> = { id: 0, depth: 0, next: new Map(), widest: 0 };
    private nodes = 1;
    /** `whole` mode: the phrases by their words, the first given kept. */
    private readonly wholePhrases = new Map<string, T>();

    constructor(
        entries: Iterable<{ phrase: string; value: T }>,
        normaliser: Normaliser,
        private readonly options: PhraseRuleOptions,
    ) {
        // Phrases built from word lists repeat the same few words many times: each is read once.
        const read = new Map<string, readonly string[]>();
        const words = (text: string) => {
            let sequence = read.get(text);
            if (!sequence) {
                sequence = normaliser.analyse(text).sequence;
                read.set(text, sequence);
            }
            return sequence;
        };
        let order = 0;
        for (const { phrase, value } of entries) {
            const parsed = this.parse(phrase, words);
            if (parsed.length === 0) continue;
            if (options.mode === 'whole') {
                const key = parsed.map((w) => w.word).join(' ');
                if (!this.wholePhrases.has(key)) this.wholePhrases.set(key, value);
            } else {
                this.add(parsed, { order: order++, value });
            }
        }
    }

    /** The value of the phrase the message says (the longest, then the first given), if any. */
    find(message: AnalysedText): T | undefined {
        if (this.options.mode === 'whole') {
            return this.wholePhrases.get(message.sequence.filter((w) => !courtesy.has(w)).join(' '));
        }
        const words = message.sequence;
        const allowSingle = message.terms.size <= this.options.singleWordMaxTerms;
        let best: { depth: number; ending: Ending<T> } | undefined;
        const seen = new Set<number>();
        const visit = (node: Node<T>, at: number) => {
            if (node.ending && (node.depth > 1 || allowSingle) && beats(node.depth, node.ending, best)) {
                best = { depth: node.depth, ending: node.ending };
            }
            const last = Math.min(words.length - 1, at + 1 + node.widest);
            for (let next = at + 1; next <= last; next++) {
                for (const { gap, node: child } of node.next.get(words[next] as string) ?? []) {
                    if (next - at - 1 > gap) continue;
                    // The same words reached at the same place lead to the same phrases: read them once.
                    const key = child.id * words.length + next;
                    if (seen.has(key)) continue;
                    seen.add(key);
                    visit(child, next);
                }
            }
        };
        words.forEach((word, start) => {
            for (const { node } of this.root.next.get(word) ?? []) {
                const key = node.id * words.length + start;
                if (seen.has(key)) continue;
                seen.add(key);
                visit(node, start);
            }
        });
        return best?.ending.value;
    }

    /** Adds a phrase's path to the trie. */
    private add(words: readonly PhraseWord[], ending: Ending<T>): void {
        let node = this.root;
        for (const { word, gap } of words) {
            const choices = node.next.get(word) ?? [];
            let child = choices.find((c) => c.gap === gap)?.node;
            if (!child) {
                child = { id: this.nodes++, depth: node.depth + 1, next: new Map(), widest: 0 };
                choices.push({ gap, node: child });
                node.next.set(word, choices);
                node.widest = Math.max(node.widest, gap);
            }
            node = child;
        }
        if (!node.ending || ending.order < node.ending.order) node.ending = ending;
    }

    /** A phrase's words, each with how many other words may come before it: "..." and double quotes change it. */
    private parse(phrase: string, read: (text: string) => readonly string[]): PhraseWord[] {
        const { maxGap, farGap = defaultFarGap } = this.options;
        const words: PhraseWord[] = [];
        for (const [p, part] of phrase.split(/\.{3}|…/).entries()) {
            // The first word after a "..." may be far from the word before it.
            let before = p > 0 ? farGap : maxGap;
            for (const [q, piece] of part.split('"').entries()) {
                const quoted = q % 2 === 1;
                const said = piece.split(/\s+/).flatMap((token) => (token ? read(token) : []));
                for (const [w, word] of said.entries()) {
                    words.push({ word, gap: quoted && w > 0 ? 0 : before });
                    before = maxGap;
                }
            }
        }
        return this.options.mode === 'whole' ? words.filter((w) => !courtesy.has(w.word)) : words;
    }
}

/** True when a phrase of this length, given this early, wins over the best found so far. */
function beats<T>(depth: number, ending: Ending<T>, best: { depth: number; ending: Ending<T> } | undefined): boolean {
    return !best || depth > best.depth || (depth === best.depth && ending.order < best.ending.order);
}
