import type { TurnContext } from 'botbuilder';
import { countMaskedCards, maskSecrets } from '../knowledge/personalData';

/**
 * Masks the card and National Insurance numbers a resident typed in this turn's message, in the activity itself,
 * before anything reads it: so the whole number never reaches conversation state, the transcript, a case, a
 * delivery, a log or insight. A card's security code or expiry beside it is dropped.
 */
export function maskTypedSecrets(context: TurnContext): void {
    const { text } = context.activity;
    if (typeof text !== 'string') return;
    context.activity.text = maskSecrets(text).text;
}

/**
 * How many card numbers were masked in this turn's message, here or by the built-in Direct Line before it kept the
 * message (the resident is then told never to type them).
 */
export function cardsMaskedThisTurn(context: TurnContext): number {
    return countMaskedCards(context.activity.text ?? '');
}
