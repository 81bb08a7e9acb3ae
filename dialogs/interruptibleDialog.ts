import { ActivityTypes, type TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Understanding } from '../knowledge/engine';
import { engineFor, repliesFor, understand, type AssistantDependencies } from './dialogContext';
import { whyReport } from './whyReport';
import { cardsMaskedThisTurn } from './typedSecrets';

/**
 * A dialog that, on every message and whatever child dialog is active, first checks in this order: safety
 * rules (emergency signposting before anything else), a card number typed in the chat (the resident is told it
 * was hidden and how to pay instead), a request for a person, and the global commands
 * (help, start again, cancel, goodbye). Only when none applies does the subclass handle the turn. In a live chat
 * with an adviser only the safety rules interrupt, and the message still reaches the adviser.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
    protected constructor(
        id: string,
        protected readonly deps: AssistantDependencies,
    ) {
        super(id);
    }

    /** What the engine understood of this turn's message (computed once per turn). */
    protected understanding(context: TurnContext): Understanding {
        return understand(this.deps, context);
    }

    protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
        return this.onContinueDialog(innerDc);
    }

    protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
        if (innerDc.context.activity.type === ActivityTypes.Message && (await this.interrupt(innerDc))) {
            return Dialog.EndOfTurn;
        }
        return this.onTurn(innerDc);
    }

    /** Handles a message no interruption claimed. */
    protected abstract onTurn(innerDc: DialogContext): Promise<DialogTurnResult>;

    /** Sends how to reach a person (the handoff path) and records the decision. */
    protected abstract offerPerson(innerDc: DialogContext, reason: string, record?: boolean): Promise<void>;

    /** True while a handoff to a person is being captured. */
    protected abstract isHandingOff(innerDc: DialogContext): boolean;

    /** True while the resident is in a live chat with an adviser (or waiting for one). */
    protected abstract isInLiveChat(innerDc: DialogContext): Promise<boolean>;

    /** Forgets what this conversation was about (start again). */
    protected abstract resetConversation(innerDc: DialogContext): Promise<void>;

    private async interrupt(innerDc: DialogContext): Promise<boolean> {
        const { context } = innerDc;
        const understood = this.understanding(context);
        const replies = await repliesFor(this.deps, context);
        const { conversation } = engineFor(this.deps, context).knowledge;

        if (understood.safety) {
            const facts = await this.deps.facts.get(context, {});
            facts.safetyRule = understood.safety.id;
            // What was being asked before is no longer the subject: "what can I do about it" after a disclosure
            // is about the disclosure, and a case asked for now is the urgent one, not the earlier service's.
            delete facts.subject;
            delete facts.lastServiceId;
            const inLiveChat = await this.isInLiveChat(innerDc);
            // In a live chat a person is already there: the signposting comes first, and the adviser sees it too.
            if (!inLiveChat) await innerDc.cancelAllDialogs();
            await context.sendActivities(replies.safety(understood.safety, { inLiveChat }));
            await this.deps.observer.decided(context, {
                outcome: 'urgent',
                services: [],
                reason: `safety:${understood.safety.id}`,
            });
            return !inLiveChat;
        }
        // The number was hidden before anything kept it; the resident is told why, whatever is under way.
        if (cardsMaskedThisTurn(context) > 0) await context.sendActivity(replies.plain(conversation.cardDetails));
        if (this.deps.diagnosticsAllowed?.(context.activity) && (context.activity.text ?? '').trim() === '/why') {
            const facts = await this.deps.facts.get(context, {});
            await context.sendActivity(whyReport(facts.lastDecision, engineFor(this.deps, context).knowledge.dir));
            return true;
        }
        // Everything else a resident types in a live chat is for the adviser, even "help" or "cancel".
        if (await this.isInLiveChat(innerDc)) return false;
        if (understood.wantsPerson) {
            // Already on the way to a person: ask the pending question again rather than start over.
            if (this.isHandingOff(innerDc)) {
                await innerDc.repromptDialog();
                return true;
            }
            await innerDc.cancelAllDialogs();
            await this.offerPerson(innerDc, 'asked');
            return true;
        }
        switch (understood.command) {
            case 'help':
                await context.sendActivity(replies.help());
                if (innerDc.activeDialog) await innerDc.repromptDialog();
                return true;
            case 'startAgain':
                await innerDc.cancelAllDialogs();
                await this.resetConversation(innerDc);
                await context.sendActivity(replies.plain(conversation.startAgain));
                return true;
            case 'cancel':
                await innerDc.cancelAllDialogs();
                await context.sendActivity(replies.plain(conversation.cancelled));
                return true;
            case 'goodbye':
                await innerDc.cancelAllDialogs();
                await this.resetConversation(innerDc);
                await context.sendActivity(replies.plain(conversation.goodbye));
                return true;
            default:
                return false;
        }
    }
}
