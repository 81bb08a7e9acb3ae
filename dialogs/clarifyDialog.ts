import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { saysExactly } from '../knowledge/normaliser';
import { engineFor, repliesFor, type AssistantDependencies } from './dialogContext';

/** How a clarifying question ended. */
export type ClarifyResult =
    | { readonly kind: 'chosen'; readonly serviceId: string }
    | { readonly kind: 'somethingElse' }
    /** "No" to "Do you mean …?", or "None of these" to the closest services: the assistant does not know. */
    | { readonly kind: 'declined' }
    /** The resident typed something that is not one of the choices: treat it as a new question. */
    | { readonly kind: 'unmatched' };

/**
 * What is asked: "Did you mean …" with two or three services (`choose`), the services closest to a long message
 * the assistant did not understand (`closest`); with one service only, either becomes "Do you mean …?" (`confirm`).
 */
export type ClarifyKind = 'choose' | 'closest' | 'confirm';

export interface ClarifyOptions {
    options: string[];
    kind?: Exclude<ClarifyKind, 'confirm'>;
}

interface ClarifyState {
    options: string[];
    kind?: ClarifyKind;
}

/**
 * Asks which service was meant and reads the answer: a button, the choice's number or title typed, "Something
 * else" or "None of these", or yes / no to a single service.
 */
export class ClarifyDialog extends Dialog<ClarifyOptions> {
    static readonly id = 'clarify';

    constructor(private readonly deps: AssistantDependencies) {
        super(ClarifyDialog.id);
    }

    override async beginDialog(dc: DialogContext, options?: ClarifyOptions): Promise<DialogTurnResult> {
        const state = dc.activeDialog?.state as ClarifyState;
        state.options = options?.options ?? [];
        state.kind = state.options.length === 1 ? 'confirm' : (options?.kind ?? 'choose');
        await this.repromptDialog(dc.context, { state });
        return Dialog.EndOfTurn;
    }

    override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const state = dc.activeDialog?.state as ClarifyState;
        const text = (dc.context.activity.text ?? '').trim();
        const engine = engineFor(this.deps, dc.context);
        const replies = await repliesFor(this.deps, dc.context);
        const { clarifyOne, notKnownChoices, somethingElse } = engine.knowledge.conversation;
        const end = (result: ClarifyResult) => dc.endDialog(result);

        const byNumber = /^\d$/.test(text) ? state.options[Number(text) - 1] : undefined;
        const byTitle = state.options.find((id) => {
            const service = engine.service(id);
            return service !== undefined && saysExactly(text, [replies.title(service)]);
        });
        const chosen = byNumber ?? byTitle;
        if (chosen && engine.service(chosen)) return end({ kind: 'chosen', serviceId: chosen });

        switch (state.kind ?? 'choose') {
            case 'confirm': {
                const only = state.options[0];
                if (only && saysExactly(text, [replies.say(clarifyOne.yes), ...clarifyOne.yesPhrases])) {
                    return end({ kind: 'chosen', serviceId: only });
                }
                if (saysExactly(text, [replies.say(clarifyOne.no), ...clarifyOne.noPhrases])) {
                    return end({ kind: 'declined' });
                }
                break;
            }
            case 'closest':
                if (saysExactly(text, [replies.say(notKnownChoices.none), ...notKnownChoices.nonePhrases])) {
                    return end({ kind: 'declined' });
                }
                break;
            case 'choose':
                if (saysExactly(text, [replies.say(somethingElse)])) return end({ kind: 'somethingElse' });
                break;
        }
        return end({ kind: 'unmatched' });
    }

    override async repromptDialog(context: DialogContext['context'], instance: { state: ClarifyState }): Promise<void> {
        const engine = engineFor(this.deps, context);
        const replies = await repliesFor(this.deps, context);
        const services = instance.state.options.map((id) => engine.service(id)).filter((s) => s !== undefined);
        const [only] = services;
        const kind = instance.state.kind ?? 'choose';
        if (kind === 'confirm' && only) {
            await context.sendActivity(replies.clarifyOne(only));
        } else if (kind === 'closest') {
            await context.sendActivity(replies.notKnownChoices(services));
        } else {
            await context.sendActivity(replies.clarify(services));
        }
    }
}
