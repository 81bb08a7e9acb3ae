import { englishWords } from './dictionary';

/**
 * Words whose endings carry meaning a resident relies on: "missing" (a lost bin) is not "missed" (a bin not
 * emptied), "planning" is not a "plan", and "letting" (an agent) is not the stop word "let".
 */
const keepWhole = new Set([
    'missing',
    'planning',
    'training',
    'housing',
    'building',
    'parking',
    'licensing',
    'letting',
    'boxing',
    'news',
    'bus',
    'gas',
    'series',
]);

/**
 * Irregular past forms of verbs that describe damage and its causes, so "broken" meets "break" ("pavement breaking
 * up" and "broken pavement") and "paid" meets "pay". Only forms with no other everyday meaning: not "left" (a
 * direction), "fed" ("fed up"), "fallen" ("had a fall"), "fell" (a hill). Others ("stolen", "sent", "bought")
 * measured no better: the services' phrases already use the forms residents use.
 */
const irregularForms: ReadonlyMap<string, string> = new Map(
    Object.entries({
        break: ['broke', 'broken'],
        throw: ['threw', 'thrown'],
        pay: ['paid'],
        tear: ['tore', 'torn'],
        freeze: ['froze', 'frozen'],
        blow: ['blew', 'blown'],
        bite: ['bitten'],
        dig: ['dug'],
        burn: ['burnt'],
        spill: ['spilt'],
        shake: ['shook', 'shaken'],
    }).flatMap(([base, forms]) => forms.map((form) => [form, base] as const)),
);

/**
 * A light English stemmer: folds plurals and -ed/-ing endings so "bins", "collected" and "collecting" meet
 * "bin" and "collect". Consistency matters more than linguistics: knowledge and questions pass through the same
 * function. A final "e" is kept, so "rates" stays apart from "rats" and "care" from "car"; an ending is only
 * removed when what is left is a word ("received" → "receive", but "during" stays "during").
 */
export function stem(word: string): string {
    const irregular = irregularForms.get(word);
    if (irregular) return irregular;
    if (word.length <= 3 || keepWhole.has(word)) return word;
    let w = word;
    if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (/(?:ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
    else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

    if (w.endsWith('ied') && w.length > 4) return `${w.slice(0, -3)}y`;
    if (w.endsWith('ing') && w.length >= 6) return base(w, w.slice(0, -3));
    if (w.endsWith('ed') && w.length >= 5 && !w.endsWith('eed')) return base(w, w.slice(0, -2));
    return w;
}

/** The word an -ed/-ing form comes from: "stopp" → "stop", "receiv" → "receive"; the form itself if neither is a word. */
function base(form: string, stripped: string): string {
    const words = englishWords();
    const undoubled = /([^aeiouls])\1$/.test(stripped) ? stripped.slice(0, -1) : stripped;
    if (undoubled !== stripped && words.has(undoubled)) return undoubled;
    if (words.has(stripped)) return stripped;
    if (words.has(`${stripped}e`)) return `${stripped}e`;
    return undoubled !== stripped ? undoubled : form;
}
