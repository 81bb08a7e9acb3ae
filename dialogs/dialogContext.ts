import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Logger } from '../bot/logger';
import type { CaseEvents } from '../bot/liveChat/caseEvents';
import type { CaseStore } from '../bot/stores/caseStore';
import type { CaseGuard } from '../bot/handoff/caseGuard';
import type { KnowledgeEngine, Understanding } from '../knowledge/engine';
import type { ConversationFacts } from './conversationFacts';
import { Replies } from './replies';
import type { TurnObserver } from './turnObserver';

/** Where the dialogs get the current knowledge (it can be reloaded while the service runs). */
export interface KnowledgeSource {
    current(): KnowledgeEngine;
}

/** What every dialog of the assistant depends on. */
export interface AssistantDependencies {
    readonly knowledge: KnowledgeSource;
    readonly facts: StatePropertyAccessor<ConversationFacts>;
    readonly observer: TurnObserver;
    /** Where cases are stored when a resident is handed to a person. */
    readonly cases: CaseStore;
    /** Tells agents' open pages what residents say in a live chat. */
    readonly caseEvents: CaseEvents;
    /**
     * Channels that get a Bot Framework handoff event when a case is created, because an omnichannel platform
     * sits in front of the bot there (Teams and the local test tools reject events).
     */
    readonly handoffEventChannels: ReadonlySet<string>;
    readonly log: Logger;
    /** Whether this activity's sender may use the staff diagnostics (`/why`); nobody when absent. */
    readonly diagnosticsAllowed?: (activity: Partial<Activity>) => boolean;
    /** Messages longer than this get a polite request for a shorter one. */
    readonly maxMessageLength: number;
    /** The clock (tests fix it to check opening hours). */
    readonly now: () => Date;
    /**
     * The version of the conversation's state this turn read (its eTag), when there is one: turns racing from the
     * same version create one case between them.
     */
    readonly stateVersion?: (context: TurnContext) => string | undefined;
    /**
     * What a case keeps of this serviceUrl to reach the conversation outside the resident's turn (an agent's
     * messages), or undefined when the server may not send there: live chat is then not offered. As it is when
     * absent.
     */
    readonly keptServiceUrl?: (serviceUrl: string | undefined) => string | undefined;
    /** Limits new cases per resident and flags urgent ones that look automated; none when absent. */
    readonly caseGuard?: CaseGuard;
}

/** The replies for this conversation's language, from the knowledge of this turn. */
export async function repliesFor(deps: AssistantDependencies, context: TurnContext): Promise<Replies> {
    const facts = await deps.facts.get(context, {});
    return new Replies(engineFor(deps, context), facts.language ?? 'en');
}

const engineKey = Symbol('knowledgeEngine');
const understandingKey = Symbol('understanding');

/** Safety rules look at no more than this much of a message, so a pasted essay cannot stall the turn. */
const safetyScanLimit = 20_000;

/** What the engine understood of this turn's message (computed once per turn). */
export function understand(deps: AssistantDependencies, context: TurnContext): Understanding {
    let understood = context.turnState.get(understandingKey) as Understanding | undefined;
    if (!understood) {
        const text = (context.activity.text ?? '').slice(0, safetyScanLimit);
        understood = engineFor(deps, context).understand(text);
        context.turnState.set(understandingKey, understood);
    }
    return understood;
}

/** The knowledge a turn started with: a reload in the middle of a turn does not change it. */
export function engineFor(deps: AssistantDependencies, context: TurnContext): KnowledgeEngine {
    let engine = context.turnState.get(engineKey) as KnowledgeEngine | undefined;
    if (!engine) {
        engine = deps.knowledge.current();
        context.turnState.set(engineKey, engine);
    }
    return engine;
}
