import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import type { ConversationFacts } from '../dialogs/conversationFacts';
import type { Replies } from '../dialogs/replies';
import { isTeamsGroupConversation, takeMessageForBot } from './channels/teams';
import { ConversationQueue } from './conversationQueue';
import { holdReplies } from './replyHold';
import { maskTypedSecrets } from '../dialogs/typedSecrets';
import { turnOrigin } from './turnOrigin';
import { StorageConflictError } from './stores/stateStorage';
import type { TranscriptRecorder } from './transcriptRecorder';

/** Runs of one turn at most: a conversation racing on more instances than this at once is not a resident. */
const maxAttempts = 5;

/** The bot's edge: welcomes once per conversation, runs the root dialog on messages and saves state. */
export class ResidentBot extends ActivityHandler {
    private readonly dialogs: DialogSet;
    private readonly queue = new ConversationQueue();

    constructor(
        private readonly conversationState: ConversationState,
        private readonly dialog: Dialog,
        private readonly facts: StatePropertyAccessor<ConversationFacts>,
        private readonly replies: (context: TurnContext) => Promise<Replies>,
        private readonly transcript: TranscriptRecorder,
        /** Told when a turn is run again after losing a race on its state. */
        private readonly onRetry: (attempt: number) => void = () => undefined,
    ) {
        super();
        this.dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState')).add(dialog);

        this.onMembersAdded(async (context, next) => {
            // In a Teams group chat or channel the bot does not greet everyone who joins.
            const someoneElseJoined =
                !isTeamsGroupConversation(context.activity) &&
                (context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient?.id);
            const facts = await this.facts.get(context, {});
            if (someoneElseJoined && !facts.welcomed) {
                facts.welcomed = true;
                await context.sendActivity((await this.replies(context)).welcome(facts.site));
            }
            await next();
        });

        this.onMessage(async (context, next) => {
            if (!takeMessageForBot(context)) return next();
            const facts = await this.facts.get(context, {});
            // A resident who writes first has started: no welcome later in this conversation.
            facts.welcomed = true;
            // Not runDialog: it sends a "Bot State" trace holding the whole dialog memory (the resident's details
            // included) with every reply, and expectReplies callers would receive it.
            const dc = await this.dialogs.createContext(context);
            const result = await dc.continueDialog();
            if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.dialog.id);
            await next();
        });
    }

    /** Drops this conversation's state (after an error, so the resident is not stuck in a broken dialog). */
    async forget(context: TurnContext): Promise<void> {
        await this.conversationState.delete(context);
    }

    /**
     * Runs a turn so that no state update is lost: the conversation's turns in this process run one at a time, and
     * a turn that loses a race on its state with another instance (eTag conflict) runs again from the newer
     * state. Replies are held until the state is saved, so the resident sees only those of the attempt that
     * counted (and, after an error, what was said before it).
     */
    override async run(context: TurnContext): Promise<void> {
        await this.queue.run(context.activity.conversation?.id ?? '', async () => {
            maskTypedSecrets(context);
            const hold = holdReplies(context, (activities) => this.transcript.recordReplies(context, activities));
            for (let attempt = 1; ; attempt++) {
                try {
                    await this.attempt(context);
                    break;
                } catch (error) {
                    if (!(error instanceof StorageConflictError) || attempt >= maxAttempts) {
                        await hold.release();
                        throw error;
                    }
                    hold.discard();
                    this.onRetry(attempt);
                    await this.conversationState.load(context, true);
                }
            }
            await hold.release();
        });
    }

    private async attempt(context: TurnContext): Promise<void> {
        // The partner site as the server established it (never as the activity claims).
        const { site } = turnOrigin(context);
        if (site) (await this.facts.get(context, {})).site ??= site;
        await this.transcript.recordIncoming(context);
        await super.run(context);
        await this.conversationState.saveChanges(context, false);
    }
}
