import path from 'node:path';
import { loadEvaluationCases } from '../../bot/evaluation';
import { projectRoot } from '../../bot/config';
import { KnowledgeEngine } from '../../knowledge/engine';
import { loadKnowledge } from '../../knowledge/loader';

/** What a resident sends at each turn of a benchmark conversation. */
export interface MessageMix {
    /** The message of a conversation's turn (both counted from 0). */
    message(conversation: number, turn: number): string;
}

/**
 * A realistic mix, turn by turn: a greeting, a question, "yes" to "did this answer your question?", another
 * question, "thanks", a question, something the council does not do, a question; then round again. Questions come
 * from the evaluation cases the sample knowledge answers outright (so the conversation follows the answer path and
 * never drifts into capturing a case); what is not known, from its "none" cases.
 */
export function loadMessageMix(): MessageMix {
    const cases = loadEvaluationCases(path.join(projectRoot, 'test', 'eval', 'cases.yaml'));
    const engine = new KnowledgeEngine(loadKnowledge(path.join(projectRoot, 'knowledge', 'sample')));
    const special = ['urgent', 'handoff', 'none'];
    const questions = cases
        .filter((c) => !c.expect.some((e) => special.includes(e)))
        .map((c) => c.text)
        .filter((text) => {
            const understood = engine.understand(text);
            if (understood.safety || understood.wantsPerson || understood.command) return false;
            const decision = engine.route(understood.text);
            // A service that always needs a person would start capturing a case after its answer.
            return decision.outcome === 'answer' && !decision.service.handoff?.always;
        });
    const unknown = cases.filter((c) => c.expect.includes('none')).map((c) => c.text);
    const script = ['hello', '?', 'yes', '?', 'thanks', '?', '!', '?'];
    return {
        message: (conversation, turn) => {
            const step = script[turn % script.length];
            const pick = (list: readonly string[]) => list[(conversation * 7 + turn) % list.length] as string;
            return step === '?' ? pick(questions) : step === '!' ? pick(unknown) : (step as string);
        },
    };
}
