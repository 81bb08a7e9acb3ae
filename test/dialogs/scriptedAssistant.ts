import { ConversationState, MemoryStorage } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { CaseEvents } from '../../bot/liveChat/caseEvents';
import type { ConversationFacts } from '../../dialogs/conversationFacts';
import type { AssistantDependencies } from '../../dialogs/dialogContext';
import { RootDialog } from '../../dialogs/rootDialog';
import type { TurnDecision } from '../../dialogs/turnObserver';
import type { KnowledgeEngine } from '../../knowledge/engine';
import type { KnowledgeService } from '../../knowledge/loader';
import type { RouteDecision } from '../../knowledge/router';
import { capturedLogger } from '../helpers/capturedLogger';
import { mondayMorning, sampleEngine } from '../helpers/assistant';
import { MemoryCaseStore } from '../helpers/memoryCaseStore';

/** How a scripted message routes: the services it offers or answers, with their scores, best first. */
export type Script = Readonly<
    Record<string, { outcome: RouteDecision['outcome']; candidates: readonly (readonly [string, number])[] }>
>;

/**
 * The sample engine, except that the messages in `script` route as written: a dialog test of what the assistant
 * does with a decision then does not hang on the scores of the day. Everything else is the real engine.
 */
export function scriptedEngine(script: Script): KnowledgeEngine {
    const engine = sampleEngine();
    const scripted = Object.create(engine) as KnowledgeEngine;
    const service = (id: string): KnowledgeService => {
        const found = engine.service(id);
        if (!found) throw new Error(`script: no service "${id}" in the sample`);
        return found;
    };
    const byWords = new Map(
        Object.entries(script).map(([message, decision]) => [
            engine.understand(message).text.sequence.join(' '),
            decision,
        ]),
    );
    scripted.route = (text) => {
        const written = byWords.get(text.sequence.join(' '));
        if (!written) return engine.route(text);
        const candidates = written.candidates.map(([id, score]) => ({
            service: service(id),
            score,
            field: 'phrase' as const,
            matched: '(scripted)',
        }));
        const [best] = candidates;
        if (written.outcome === 'answer' && best) return { outcome: 'answer', service: best.service, candidates };
        if (written.outcome === 'clarify') {
            return { outcome: 'clarify', options: candidates.map((c) => c.service), candidates };
        }
        return { outcome: 'not-known', candidates };
    };
    return scripted;
}

/** A root dialog on the given engine under `DialogTestClient`, with the decisions it reports. */
export function scriptedClient(engine: KnowledgeEngine) {
    const conversationState = new ConversationState(new MemoryStorage());
    const decisions: TurnDecision[] = [];
    const { log } = capturedLogger();
    const deps: AssistantDependencies = {
        knowledge: { current: () => engine },
        facts: conversationState.createProperty<ConversationFacts>('facts'),
        observer: { decided: (_context, decision) => void decisions.push(decision) },
        cases: new MemoryCaseStore(),
        caseEvents: new CaseEvents(log),
        handoffEventChannels: new Set(),
        log,
        maxMessageLength: 1000,
        now: () => mondayMorning,
    };
    const client = new DialogTestClient('test', new RootDialog(deps), undefined, [], conversationState);
    return { client, decisions };
}
