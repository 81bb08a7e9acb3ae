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
    /**
     * In a message of several sentences, how much a sentence that only tells the background counts, against one
     * that asks ("what can I do?") or the whole message (1).
     */
    readonly backgroundSentenceWeight: number;
    /** The most sentences of one message matched on their own (a story has a dozen; a pasted page, hundreds). */
    readonly maxSentences: number;
    /**
     * A long message (at least `storyTerms` words that the services' phrases or titles use) is answered below the answer threshold when its best
     * service scores at least `storyScore`, leads the next by `storyLead`, and its phrases and titles together cover
     * the most of the message, by `storyCoverageLead`: a story's words spread over what residents say about one
     * service, not one phrase.
     */
    readonly storyTerms: number;
    readonly storyScore: number;
    readonly storyLead: number;
    readonly storyCoverageLead: number;
}

export const defaultRouterSettings: RouterSettings = {
    answerThreshold: 0.45,
    answerMargin: 0.05,
    clarifyThreshold: 0.4,
    clarifyBand: 0.15,
    maxClarifyOptions: 3,
    backgroundSentenceWeight: 0.9,
    maxSentences: 30,
    storyTerms: 5,
    storyScore: 0.3,
    storyLead: 0.03,
    storyCoverageLead: 0.05,
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
        const candidates = this.candidates(question);
        const [best, next] = candidates;
        const s = this.settings;
        if (!best) return { outcome: 'not-known', candidates };
        const offerable = best.score >= s.clarifyThreshold;
        const clear = best.score >= s.answerThreshold && (!next || best.score - next.score >= s.answerMargin);
        if ((offerable && clear) || this.storyIsAbout(question, candidates)) {
            return { outcome: 'answer', service: best.service, candidates };
        }
        if (!offerable) return { outcome: 'not-known', candidates };
        const options = candidates
            .filter((c) => c.score >= s.clarifyThreshold && best.score - c.score <= s.clarifyBand)
            .slice(0, s.maxClarifyOptions)
            .map((c) => c.service);
        return { outcome: 'clarify', options, candidates };
    }

    /** Whether a long message is clearly about its best candidate, though no one phrase matches it well. */
    private storyIsAbout(question: AnalysedText, candidates: readonly Candidate[]): boolean {
        const [best, next] = candidates;
        const s = this.settings;
        if (!best || best.score < s.storyScore || (next && best.score - next.score < s.storyLead)) return false;
        const { knownWords, services } = this.matcher.coverage(
            question,
            candidates.map((c) => c.service.id),
        );
        const [own, ...others] = services;
        // At least two of its words: one word shared with a service is a coincidence, not what the story is about.
        if (knownWords < s.storyTerms || !own || own.words < 2) return false;
        return own.share - Math.max(0, ...others.map((o) => o.share)) >= s.storyCoverageLead;
    }

    /**
     * The whole message's candidates and, for a message of several sentences, each sentence's: a service's score
     * is its best, so a clear request in one sentence is not diluted by the story around it.
     */
    private candidates(question: AnalysedText): readonly Candidate[] {
        const whole = this.matcher.match(question);
        if (question.sentences.length === 0) return whole;
        const best = new Map<string, Candidate>(whole.map((c) => [c.service.id, c]));
        // One word out of a story is too little to go on ("any tips?" is not about the tip). A pasted page is
        // bounded: the sentences that ask first, then the story, up to `maxSentences`.
        const sentences = question.sentences
            .filter((sentence) => sentence.text.terms.size >= 2)
            .sort((a, b) => Number(b.asks) - Number(a.asks))
            .slice(0, this.settings.maxSentences);
        for (const sentence of sentences) {
            const weight = sentence.asks ? 1 : this.settings.backgroundSentenceWeight;
            for (const c of this.matcher.match(sentence.text)) {
                const score = c.score * weight;
                if (score > (best.get(c.service.id)?.score ?? -1)) best.set(c.service.id, { ...c, score });
            }
        }
        return [...best.values()]
            .sort((a, b) => b.score - a.score || a.service.id.localeCompare(b.service.id))
            .slice(0, this.matcher.candidateLimit);
    }
}
