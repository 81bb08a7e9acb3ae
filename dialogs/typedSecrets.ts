import type { TurnContext } from 'botbuilder';
import { countMaskedCards, maskSecrets } from '../knowledge/personalData';

/**
 * Masks the card and National Insurance numbers a resident typed in this turn's message, in the activity itself,
 * before anything reads it: so the whole number never reaches conversation state, the transcript, a case, a
 * delivery, a log or insight. A card's security code or expiry beside it is dropped.
 */
export function maskTypedSecrets(context: TurnContext): void {
    const { activity } = context;
    if (typeof activity.text === 'string') activity.text = maskSecrets(activity.text).text;
    // A card's submitted fields, a button's value: the same, wherever a string is.
    if (activity.value !== undefined) activity.value = maskSecretsDeep(activity.value);
}

/** `value` with every string in it masked (objects and arrays copied; at most `depth` levels, deeper dropped). */
export function maskSecretsDeep(value: unknown, depth = 8): unknown {
    if (typeof value === 'string') return maskSecrets(value).text;
    if (value === null || typeof value !== 'object') return value;
    if (depth === 0) return undefined;
    if (Array.isArray(value)) return value.map((item) => maskSecretsDeep(item, depth - 1));
    return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [maskSecrets(key).text, maskSecretsDeep(item, depth - 1)]),
    );
}

/**
 * How many card numbers were masked in this turn's message, here or by the built-in Direct Line before it kept the
 * message (the resident is then told never to type them).
 */
export function cardsMaskedThisTurn(context: TurnContext): number {
    return countMaskedCards(context.activity.text ?? '');
}
