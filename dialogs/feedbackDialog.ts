import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { saysExactly } from '../knowledge/normaliser';
import { engineFor, repliesFor, type AssistantDependencies } from './dialogContext';

/** How the feedback question was answered. */
export type FeedbackResult =
    | { readonly kind: 'helpful'; readonly serviceId: string }
    | { readonly kind: 'unhelpful'; readonly serviceId: string }
    /** The resident asked something else instead: treat it as a new question. */
    | { readonly kind: 'unmatched'; readonly serviceId: string };

interface FeedbackState {
    serviceId: string;
}

/** After an answer: "Did this answer your question?" with Yes / No and related services as next steps. */
export class FeedbackDialog extends Dialog<{ serviceId: string }> {
    static readonly id = 'feedback';

    constructor(private readonly deps: AssistantDependencies) {
        super(FeedbackDialog.id);
    }

    override async beginDialog(dc: DialogContext, options?: { serviceId: string }): Promise<DialogTurnResult> {
        const state = dc.activeDialog?.state as FeedbackState;
        state.serviceId = options?.serviceId ?? '';
        await this.repromptDialog(dc.context, { state });
        return Dialog.EndOfTurn;
    }

    override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const { serviceId } = dc.activeDialog?.state as FeedbackState;
        const { feedback } = engineFor(this.deps, dc.context).knowledge.conversation;
        const replies = await repliesFor(this.deps, dc.context);
        const text = dc.context.activity.text ?? '';

        if (saysExactly(text, [replies.say(feedback.yes), ...feedback.yesPhrases])) {
            return dc.endDialog({ kind: 'helpful', serviceId } satisfies FeedbackResult);
        }
        if (saysExactly(text, [replies.say(feedback.no), ...feedback.noPhrases])) {
            return dc.endDialog({ kind: 'unhelpful', serviceId } satisfies FeedbackResult);
        }
        return dc.endDialog({ kind: 'unmatched', serviceId } satisfies FeedbackResult);
    }

    override async repromptDialog(
        context: DialogContext['context'],
        instance: { state: FeedbackState },
    ): Promise<void> {
        const engine = engineFor(this.deps, context);
        const service = engine.service(instance.state.serviceId);
        if (!service) return;
        const replies = await repliesFor(this.deps, context);
        await context.sendActivity(replies.feedbackQuestion(service));
    }
}
