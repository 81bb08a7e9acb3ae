import type { Activity, Storage, TurnContext } from 'botbuilder';
import { CheckedConversationState } from './checkedConversationState';
import type { ConversationFacts } from '../dialogs/conversationFacts';
import { repliesFor, type AssistantDependencies, type KnowledgeSource } from '../dialogs/dialogContext';
import { RootDialog } from '../dialogs/rootDialog';
import type { TurnObserver } from '../dialogs/turnObserver';
import { handleHandoffStatus } from './handoff/handoffStatus';
import type { Logger } from './logger';
import { ResidentBot } from './residentBot';
import type { CaseEvents } from './liveChat/caseEvents';
import type { CaseStore } from './stores/caseStore';
import { TranscriptRecorder } from './transcriptRecorder';
import type { CaseGuard } from './handoff/caseGuard';

/** What it takes to assemble the assistant. */
export interface AssistantOptions {
    readonly storage: Storage;
    readonly knowledge: KnowledgeSource;
    readonly observer: TurnObserver;
    readonly cases: CaseStore;
    readonly caseEvents: CaseEvents;
    /** Channels that get a handoff event when a case is created (HANDOFF_EVENT_CHANNELS). */
    readonly handoffEventChannels?: readonly string[];
    readonly log: Logger;
    /** Who may use the staff diagnostics (`/why`). */
    readonly diagnosticsAllowed?: (activity: Partial<Activity>) => boolean;
    readonly maxMessageLength: number;
    readonly now?: () => Date;
    /** What a case keeps of a serviceUrl, undefined where the server may not send (see AssistantDependencies). */
    readonly keptServiceUrl?: (serviceUrl: string | undefined) => string | undefined;
    /** Limits cases per resident and flags automated-looking urgent ones. */
    readonly caseGuard?: CaseGuard;
}

/** Assembles state, the root dialog and the bot: the same assembly serves HTTP, tests and the evaluation. */
export function createAssistant(options: AssistantOptions): { bot: ResidentBot; deps: AssistantDependencies } {
    const conversationState = new CheckedConversationState(options.storage);
    const deps: AssistantDependencies = {
        knowledge: options.knowledge,
        facts: conversationState.createProperty<ConversationFacts>('facts'),
        observer: options.observer,
        cases: options.cases,
        caseEvents: options.caseEvents,
        handoffEventChannels: new Set(options.handoffEventChannels ?? []),
        log: options.log,
        ...(options.diagnosticsAllowed && { diagnosticsAllowed: options.diagnosticsAllowed }),
        maxMessageLength: options.maxMessageLength,
        now: options.now ?? (() => new Date()),
        stateVersion: (context) => conversationState.readVersion(context),
        ...(options.keptServiceUrl && { keptServiceUrl: options.keptServiceUrl }),
        ...(options.caseGuard && { caseGuard: options.caseGuard }),
    };
    const bot = new ResidentBot(
        conversationState,
        new RootDialog(deps),
        deps.facts,
        (context: TurnContext) => repliesFor(deps, context),
        new TranscriptRecorder(deps.facts, deps.now, options.maxMessageLength),
        (attempt) => options.log.info('turn.retried', { attempt, reason: 'state_conflict' }),
    );
    bot.onEvent(async (context, next) => {
        await handleHandoffStatus(deps, context);
        await next();
    });
    return { bot, deps };
}
