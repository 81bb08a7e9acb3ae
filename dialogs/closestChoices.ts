import type { KnowledgeService } from '../knowledge/loader';
import type { AnalysedText } from '../knowledge/normaliser';
import type { RouteDecision } from '../knowledge/router';

/** When a message the router did not know is long enough to be worth offering its closest services. */
export interface ClosestChoicesSettings {
    /** Distinct meaningful words (stop words left out) a message needs: a short one is asked to rephrase instead. */
    readonly minTerms: number;
    /** The least score for a service to be offered. */
    readonly minScore: number;
    /** The most services offered. */
    readonly maxChoices: number;
}

/**
 * Chosen on the tuning sets (test/eval/cases.yaml, dev.yaml, real/tuning.yaml): of the not-known messages with
 * 12 or more meaningful words, all but one wanted a service, and the right one was among the candidates scoring
 * 0.25 or more (at most 3) for 23 of 26 (21 of 21 once the engine read long messages better); a lower floor added
 * options and no right ones, 0.3 lost a third of them.
 */
export const defaultClosestChoicesSettings: ClosestChoicesSettings = { minTerms: 12, minScore: 0.25, maxChoices: 3 };

/**
 * The services to offer after a not-known on a long message (a story the router could not place), best first;
 * none for a short message, which keeps the plain "say it another way".
 */
export function closestChoices(
    text: AnalysedText,
    decision: RouteDecision,
    settings: ClosestChoicesSettings = defaultClosestChoicesSettings,
): KnowledgeService[] {
    if (decision.outcome !== 'not-known' || text.terms.size < settings.minTerms) return [];
    return decision.candidates
        .filter((c) => c.score >= settings.minScore)
        .slice(0, settings.maxChoices)
        .map((c) => c.service);
}
