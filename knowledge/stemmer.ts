/**
 * A light English stemmer: folds plurals and -ed/-ing endings so "bins", "collected" and "collecting" meet
 * "bin" and "collect". Consistency matters more than linguistics: knowledge and questions pass through the same
 * function.
 */
export function stem(word: string): string {
    let w = word;
    if (w.length <= 3) return w;
    if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (/(?:ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
    else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

    if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('ing') && w.length >= 6) w = undouble(w.slice(0, -3));
    else if (w.endsWith('ed') && w.length >= 5 && !w.endsWith('eed')) w = undouble(w.slice(0, -2));

    if (w.endsWith('e') && w.length > 3 && !w.endsWith('ee')) w = w.slice(0, -1);
    return w;
}

function undouble(w: string): string {
    return /([^aeiouls])\1$/.test(w) ? w.slice(0, -1) : w;
}
