/** Named lists of alternative words, e.g. `partner: [husband, wife, boyfriend, girlfriend, ex]`. */
export type WordLists = Readonly<Record<string, readonly string[]>>;

/** The most phrases one template may stand for: a typo in a list should not build millions. */
export const maxExpansions = 5000;

/**
 * Expands `{name}` slots in a phrase with every word of the named list: "{partner} hit me" stands for
 * "husband hit me", "wife hit me", … so authors keep one line per way of saying it, not one per person.
 * Throws a `RangeError` naming an unknown list, or when the template stands for too many phrases.
 */
export function expandTemplate(template: string, words: WordLists): string[] {
    let phrases = [''];
    for (const part of template.split(/(\{[^{}]+\})/)) {
        const slot = /^\{([^{}]+)\}$/.exec(part)?.[1];
        // Own lists only: "{constructor}" must be an unknown list, not Object.prototype.constructor.
        const choices =
            slot === undefined ? [part] : Object.hasOwn(words, slot.trim()) ? words[slot.trim()] : undefined;
        if (!choices) throw new RangeError(`unknown word list "{${slot}}" (define it under "words")`);
        phrases = phrases.flatMap((start) => choices.map((choice) => start + choice));
        if (phrases.length > maxExpansions) {
            throw new RangeError(`stands for more than ${maxExpansions} phrases; split it or shorten its word lists`);
        }
    }
    return phrases.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length > 0);
}
