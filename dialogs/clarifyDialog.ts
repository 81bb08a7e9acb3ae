import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { saysExactly } from '../knowledge/normaliser';
import { engineFor, repliesFor, type AssistantDependencies } from './dialogContext';

/** How a clarifying question ended. */
export type ClarifyResult =
    | { readonly kind: 'chosen'; readonly serviceId: string }
    | { readonly kind: 'somethingElse' }
    /** The resident typed something that is not one of the choices: treat it as a new question. */
    | { readonly kind: 'unmatched' };

interface ClarifyState {
    options: string[];
}

/** Asks "Did you mean …" with two or three services and "Something else", and reads the choice. */
export class ClarifyDialog extends Dialog<{ options: string[] }> {
    static readonly id = 'clarify';

    constructor(private readonly deps: AssistantDependencies) {
        super(ClarifyDialog.id);
    }

    override async beginDialog(dc: DialogContext, options?: { options: string[] }): Promise<DialogTurnResult> {
        const state = dc.activeDialog?.state as ClarifyState;
        state.options = options?.options ?? [];
        await this.repromptDialog(dc.context, { state });
        return Dialog.EndOfTurn;
    }

    override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const state = dc.activeDialog?.state as ClarifyState;
        const text = (dc.context.activity.text ?? '').trim();
        const engine = engineFor(this.deps, dc.context);
        const replies = await repliesFor(this.deps, dc.context);

        const byNumber = /^\d$/.test(text) ? state.options[Number(text) - 1] : undefined;
        const byTitle = state.options.find((id) => {
            const service = engine.service(id);
            return service !== undefined && saysExactly(text, [replies.title(service)]);
        });
        const chosen = byNumber ?? byTitle;
        if (chosen && engine.service(chosen))
            return dc.endDialog({ kind: 'chosen', serviceId: chosen } satisfies ClarifyResult);
        if (saysExactly(text, [replies.say(engine.knowledge.conversation.somethingElse)])) {
            return dc.endDialog({ kind: 'somethingElse' } satisfies ClarifyResult);
        }
        return dc.endDialog({ kind: 'unmatched' } satisfies ClarifyResult);
    }

    override async repromptDialog(context: DialogContext['context'], instance: { state: ClarifyState }): Promise<void> {
        const engine = engineFor(this.deps, context);
        const replies = await repliesFor(this.deps, context);
        const services = instance.state.options.map((id) => engine.service(id)).filter((s) => s !== undefined);
        await context.sendActivity(replies.clarify(services));
    }
}
