/**
 * Words whose endings carry meaning a resident relies on: "missing" (a lost bin) is not "missed" (a bin not
 * emptied), "planning" is not a "plan", "training" is not a "train".
 */
const keepWhole = new Set([
    'missing',
    'planning',
    'training',
    'housing',
    'building',
    'parking',
    'licensing',
    'news',
    'bus',
    'gas',
    'series',
]);

/**
 * A light English stemmer: folds plurals and -ed/-ing endings so "bins", "collected" and "collecting" meet
 * "bin" and "collect". Consistency matters more than linguistics: knowledge and questions pass through the same
 * function. A final "e" is kept, so "rates" stays apart from "rats" and "care" from "car".
 */
export function stem(word: string): string {
    if (word.length <= 3 || keepWhole.has(word)) return word;
    let w = word;
    if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (/(?:ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
    else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

    if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('ing') && w.length >= 6) w = undouble(w.slice(0, -3));
    else if (w.endsWith('ed') && w.length >= 5 && !w.endsWith('eed')) w = undouble(w.slice(0, -2));
    return w;
}

function undouble(w: string): string {
    return /([^aeiouls])\1$/.test(w) ? w.slice(0, -1) : w;
}
