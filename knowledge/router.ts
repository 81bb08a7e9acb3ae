import type { KnowledgeService } from './loader';
import type { Candidate, Matcher } from './matcher';
import type { AnalysedText } from './normaliser';

/** When the router answers, asks which service was meant, or says it does not know. */
export interface RouterSettings {
    /** The least score for an answer. */
    readonly answerThreshold: number;
    /** How far the best service must be ahead of the next to be answered without asking. */
    readonly answerMargin: number;
    /** The least score for a service to be offered in a "Did you mean …" question. */
    readonly clarifyThreshold: number;
    /** Services offered together must score within this of the best. */
    readonly clarifyBand: number;
    /** The most services offered in a "Did you mean …" question. */
    readonly maxClarifyOptions: number;
}

export const defaultRouterSettings: RouterSettings = {
    answerThreshold: 0.45,
    answerMargin: 0.05,
    clarifyThreshold: 0.4,
    clarifyBand: 0.15,
    maxClarifyOptions: 3,
};

/** What to do with a question. */
export type RouteDecision =
    | { readonly outcome: 'answer'; readonly service: KnowledgeService; readonly candidates: readonly Candidate[] }
    | {
          readonly outcome: 'clarify';
          readonly options: readonly KnowledgeService[];
          readonly candidates: readonly Candidate[];
      }
    | { readonly outcome: 'not-known'; readonly candidates: readonly Candidate[] };

/** Turns match candidates into one decision: answer only when one service is clearly ahead. */
export class Router {
    constructor(
        private readonly matcher: Matcher,
        private readonly settings: RouterSettings = defaultRouterSettings,
    ) {}

    route(question: AnalysedText): RouteDecision {
        const candidates = this.matcher.match(question);
        const [best, next] = candidates;
        const s = this.settings;
        if (!best || best.score < s.clarifyThreshold) return { outcome: 'not-known', candidates };
        if (best.score >= s.answerThreshold && (!next || best.score - next.score >= s.answerMargin)) {
            return { outcome: 'answer', service: best.service, candidates };
        }
        const options = candidates
            .filter((c) => c.score >= s.clarifyThreshold && best.score - c.score <= s.clarifyBand)
            .slice(0, s.maxClarifyOptions)
            .map((c) => c.service);
        return { outcome: 'clarify', options, candidates };
    }
}
