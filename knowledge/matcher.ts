import type { KnowledgeService } from './loader';
import { allVersions } from './localise';
import { normaliseWords, type AnalysedText, type Normaliser } from './normaliser';

/** How the matcher weighs the fields of a service and the words of a question. */
export interface MatcherSettings {
    /** Field weights: what residents say (phrases) counts more than the title, the title more than the answer. */
    readonly phraseWeight: number;
    readonly titleWeight: number;
    readonly answerWeight: number;
    /**
     * Between 0 and 1: how much a phrase's own words must be present (towards 1) versus how much of the question
     * the phrase explains (towards 0). Residents add context, so a phrase found whole in a long question scores well.
     */
    readonly phraseCoverageExponent: number;
    /** How much an English word the knowledge never uses ("dentist") dilutes the question, as a share of a rare word. */
    readonly unknownTermWeight: number;
    /** The same for a term that is not English either (a name, a garbled word): usually noise. */
    readonly unrecognisedTermWeight: number;
    /** How many candidates a match returns. */
    readonly candidateLimit: number;
}

export const defaultMatcherSettings: MatcherSettings = {
    phraseWeight: 1,
    titleWeight: 0.85,
    // Below the router's answer threshold: words found only in an answer's text can suggest, never decide.
    answerWeight: 0.4,
    phraseCoverageExponent: 0.6,
    unknownTermWeight: 1,
    unrecognisedTermWeight: 0.5,
    candidateLimit: 5,
};

type Field = 'phrase' | 'title' | 'answer';

/** One service's best evidence for a question. */
export interface Candidate {
    readonly service: KnowledgeService;
    /** 0 to 1. */
    readonly score: number;
    readonly field: Field;
    /** The phrase or title that matched best. */
    readonly matched: string;
}

/** The fields as small numbers, for the typed arrays below. */
const fields: readonly Field[] = ['phrase', 'title', 'answer'];
const phraseField = 0;
const titleField = 1;
const answerField = 2;

// Bounds are compared with this much to spare, so rounding in the powers can never skip a document that counts.
const margin = 1 + 1e-9;

/**
 * Scores services against a question by the rarity-weighted overlap of their words with each phrase, title
 * and answer (an inverted index, so the cost follows the words asked, not the size of the knowledge).
 */
export class Matcher {
    // The documents (phrases, titles, answers) as parallel arrays: a question can touch tens of thousands of them
    // in a large knowledge, and typed arrays keep that to plain arithmetic with no allocation per document.
    private readonly docService: Int32Array;
    private readonly docField: Uint8Array;
    private readonly docWeight: Float64Array;
    private readonly docText: readonly string[];
    /** Each document's term ids, ascending: `docTerms[docTermStart[d]]` up to `docTermStart[d + 1]`. */
    private readonly docTermStart: Int32Array;
    private readonly docTerms: Int32Array;
    private readonly termIds = new Map<string, number>();
    /** The documents with each term, by term id (in the order explained in the constructor). */
    private readonly postings: Int32Array[] = [];
    /** Where the answers start in each term's documents. */
    private readonly answersFrom: number[] = [];
    private readonly idf = new Map<string, number>();
    /** Each service's words from its phrases and titles together, by service id. */
    private readonly serviceTerms = new Map<string, Set<string>>();
    private readonly unknownIdf: number;
    /** Each service's place in id order, the tie-break between equal scores. */
    private readonly idOrder: Int32Array;
    // Scratch space reused by every match (matching is synchronous, so calls never overlap). A document or service
    // counts as seen in this match when its stamp equals the match's.
    private stamp = 0;
    private readonly docStamp: Uint32Array;
    private readonly serviceStamp: Uint32Array;
    private readonly bestScore: Float64Array;
    private readonly bestDoc: Int32Array;
    /** The best document's first question word (in the question's order): the tie-break within a service. */
    private readonly bestFirstTerm: Int32Array;
    /** The question's words: stamped with the match, and each one's place in the question. */
    private readonly termStamp: Uint32Array;
    private readonly termPlace: Int32Array;

    constructor(
        private readonly services: readonly KnowledgeService[],
        normaliser: Normaliser,
        private readonly settings: MatcherSettings = defaultMatcherSettings,
        /** The words of a knowledge text (the engine passes those it has already normalised). */
        wordsOf: (text: string) => readonly string[] = normaliseWords,
    ) {
        const raw: { service: number; field: Field; text: string; terms: ReadonlySet<string> }[] = [];
        const servicesWithTerm = new Map<string, Set<number>>();
        services.forEach((service, index) => {
            const add = (field: Field, text: string) => {
                const terms = new Set(normaliser.analyseWords(wordsOf(text)).terms.keys());
                if (terms.size === 0) return;
                raw.push({ service: index, field, text, terms });
                if (field === 'answer') return;
                let own = this.serviceTerms.get(service.id);
                if (!own) this.serviceTerms.set(service.id, (own = new Set<string>()));
                for (const term of terms) {
                    own.add(term);
                    const set = servicesWithTerm.get(term) ?? new Set<number>();
                    set.add(index);
                    servicesWithTerm.set(term, set);
                }
            };
            service.phrases.forEach((phrase) => add('phrase', phrase));
            allVersions(service.title).forEach((title) => add('title', title));
            allVersions(service.answer).forEach((answer) => add('answer', answer));
        });

        const n = services.length;
        for (const [term, owners] of servicesWithTerm) this.idf.set(term, Math.log((n + 1) / (owners.size + 0.5)));
        this.unknownIdf = Math.log((n + 1) / 0.5);

        this.docService = new Int32Array(raw.length);
        this.docField = new Uint8Array(raw.length);
        this.docWeight = new Float64Array(raw.length);
        this.docText = raw.map((doc) => doc.text);
        this.docTermStart = new Int32Array(raw.length + 1);
        const lists: number[][] = [];
        const docTerms: number[] = [];
        raw.forEach((doc, id) => {
            this.docService[id] = doc.service;
            this.docField[id] = fields.indexOf(doc.field);
            let weight = 0;
            const ids: number[] = [];
            for (const term of doc.terms) {
                weight += this.termIdf(term);
                let termId = this.termIds.get(term);
                if (termId === undefined) {
                    termId = lists.length;
                    this.termIds.set(term, termId);
                    lists.push([]);
                }
                (lists[termId] as number[]).push(id);
                ids.push(termId);
            }
            this.docWeight[id] = weight;
            ids.sort((a, b) => a - b);
            for (const termId of ids) docTerms.push(termId);
            this.docTermStart[id + 1] = docTerms.length;
        });
        this.docTerms = Int32Array.from(docTerms);
        // Each list has its phrases and titles first, fewest (and rarest) words first: they can score highest, so
        // the bar rises early, and once one cannot reach it none after it can. Then the answers, which score least.
        const weight = this.docWeight;
        for (const list of lists) {
            const answers = list.filter((doc) => this.docField[doc] === answerField);
            const others = list.filter((doc) => this.docField[doc] !== answerField);
            others.sort((a, b) => (weight[a] as number) - (weight[b] as number) || a - b);
            this.postings.push(Int32Array.from([...others, ...answers]));
            this.answersFrom.push(others.length);
        }

        this.idOrder = new Int32Array(n);
        [...services.keys()]
            .sort((a, b) => (services[a] as KnowledgeService).id.localeCompare((services[b] as KnowledgeService).id))
            .forEach((service, place) => (this.idOrder[service] = place));
        this.docStamp = new Uint32Array(raw.length);
        this.serviceStamp = new Uint32Array(n);
        this.bestScore = new Float64Array(n);
        this.bestDoc = new Int32Array(n);
        this.bestFirstTerm = new Int32Array(n);
        this.termStamp = new Uint32Array(lists.length);
        this.termPlace = new Int32Array(lists.length);
    }

    /** How many candidates a match returns at most. */
    get candidateLimit(): number {
        return this.settings.candidateLimit;
    }

    /**
     * The best candidates for a question, highest score first.
     *
     * In a large knowledge a common word ("council") is in tens of thousands of documents, yet a document with only
     * common words cannot score well. So the question's words are taken rarest first, each document scored in full
     * when first met, and the scan stops when the documents not yet met (which have only the words still to come)
     * could not reach the fifth candidate even with all of those words. The candidates are exactly those of scoring
     * every document.
     */
    match(question: AnalysedText): Candidate[] {
        const stamp = this.nextStamp();
        let questionWeight = 0;
        // The question's words that some document has, in the question's order, with what each adds to an overlap.
        const termIds: number[] = [];
        const gains: number[] = [];
        for (const [term, certainty] of question.terms) {
            const known = this.idf.get(term);
            questionWeight += known ?? this.unknownIdf * this.dilution(question, term);
            const termId = this.termIds.get(term);
            if (termId === undefined) continue;
            termIds.push(termId);
            gains.push((known ?? this.unknownIdf) * certainty);
        }
        if (questionWeight === 0) return [];

        const rarestFirst = [...termIds.keys()].sort((a, b) => (gains[b] as number) - (gains[a] as number));
        // What the words from each place in that order on could add at most.
        const rest = new Float64Array(rarestFirst.length + 1);
        for (let k = rarestFirst.length - 1; k >= 0; k--) {
            rest[k] = (rest[k + 1] as number) + (gains[rarestFirst[k] as number] as number);
        }

        const { docStamp, docTermStart, docTerms, docService, docField, docWeight, termStamp, termPlace } = this;
        termIds.forEach((term, place) => {
            termStamp[term] = stamp;
            termPlace[term] = place;
        });
        // The places (in the question) of the words a document has, ascending.
        const found = new Int32Array(termIds.length);
        const { serviceStamp, bestScore, bestDoc, bestFirstTerm, idOrder } = this;
        const { phraseCoverageExponent: alpha, answerWeight, phraseWeight, titleWeight } = this.settings;
        const limit = this.settings.candidateLimit;
        const top: number[] = [];
        // The score a document must beat to matter: the fifth candidate's, once there are five.
        let bar = -Infinity;
        const ahead = (a: number, b: number) =>
            (bestScore[a] as number) > (bestScore[b] as number) ||
            (bestScore[a] === bestScore[b] && (idOrder[a] as number) < (idOrder[b] as number));

        /** Scores a document (once per match) and, when it is its service's best, updates the top services. */
        const consider = (doc: number, bound: number): void => {
            if (docStamp[doc] === stamp) return;
            docStamp[doc] = stamp;
            const service = docService[doc] as number;
            const fresh = serviceStamp[service] !== stamp;
            // Nor can a document whose best possible score is below its service's best so far: that is most of a
            // service's phrases once one has matched, and it saves finding which of the question's words it has.
            if (!fresh && bound < (bestScore[service] as number)) return;

            // The overlap, summed in the question's word order (so it is the same number whichever word met
            // the document first), and the first of the question's words the document has.
            let count = 0;
            for (let t = docTermStart[doc] as number, end = docTermStart[doc + 1] as number; t < end; t++) {
                const term = docTerms[t] as number;
                if (termStamp[term] !== stamp) continue;
                const place = termPlace[term] as number;
                let j = count++;
                for (; j > 0 && (found[j - 1] as number) > place; j--) found[j] = found[j - 1] as number;
                found[j] = place;
            }
            let overlap = 0;
            for (let j = 0; j < count; j++) overlap += gains[found[j] as number] as number;
            const firstTerm = found[0] as number;

            const field = docField[doc] as number;
            const questionCoverage = Math.min(1, overlap / questionWeight);
            let score: number;
            if (field === answerField) {
                score = answerWeight * questionCoverage;
                if (score < bar) return;
            } else {
                const docCoverage = Math.min(1, overlap / (docWeight[doc] as number));
                const weight = field === phraseField ? phraseWeight : titleWeight;
                // x^a * y^(1-a) never exceeds a * x + (1 - a) * y (the weighted means inequality): a document that
                // cannot beat the bar or its service's best so far is skipped before the powers, the costly part.
                const most = (alpha * docCoverage + (1 - alpha) * questionCoverage) * margin;
                const bound = field === titleField && most > 0.999 ? 1 : weight * most;
                if (bound < bar || (!fresh && bound < (bestScore[service] as number))) return;
                const similarity = docCoverage ** alpha * questionCoverage ** (1 - alpha);
                // A question that is exactly a title (a button a resident pressed) is certain.
                score = field === titleField && similarity > 0.999 ? 1 : weight * similarity;
            }

            // A service's best is its highest-scoring document; of equal ones, the one a plain scan of the
            // question's words in order would meet first.
            if (fresh) {
                serviceStamp[service] = stamp;
            } else {
                const best = bestScore[service] as number;
                const previous = bestFirstTerm[service] as number;
                const metFirst = firstTerm < previous || (firstTerm === previous && doc < (bestDoc[service] as number));
                if (score < best || (score === best && !metFirst)) return;
            }
            bestScore[service] = score;
            bestDoc[service] = doc;
            bestFirstTerm[service] = firstTerm;

            // Keep the top services in order.
            let at = top.indexOf(service);
            if (at < 0) {
                if (top.length < limit) at = top.length;
                else if (ahead(service, top[limit - 1] as number)) at = limit - 1;
                else return;
                top[at] = service;
            }
            for (; at > 0 && ahead(service, top[at - 1] as number); at--) {
                top[at] = top[at - 1] as number;
                top[at - 1] = service;
            }
            if (top.length === limit) bar = bestScore[top[limit - 1] as number] as number;
        };

        for (let k = 0; k < rarestFirst.length; k++) {
            // A document not met yet has only the words from here on (it would have been met with a rarer one).
            const most = rest[k] as number;
            if (this.bestPossible(most, questionWeight) < bar) break;
            const termId = termIds[rarestFirst[k] as number] as number;
            const list = this.postings[termId] as Int32Array;
            const answersFrom = this.answersFrom[termId] as number;
            for (let i = 0; i < answersFrom; i++) {
                const doc = list[i] as number;
                const bound = this.bestPossible(most, questionWeight, docWeight[doc]);
                // Nor can any phrase or title after one that cannot reach the bar: they weigh more.
                if (bound < bar) break;
                consider(doc, bound);
            }
            const answerBound = answerWeight * Math.min(1, most / questionWeight) * margin;
            for (let i = answersFrom; i < list.length && answerBound >= bar; i++)
                consider(list[i] as number, answerBound);
        }
        return this.candidates(top);
    }

    /**
     * For a story: how many of the question's words the services' phrases or titles use, and for each of the given
     * services how much of the question (0 to 1, by rarity, as in a match) and how many of its words the service's
     * phrases and titles cover between them. A story rarely repeats one phrase, but its words fall within what
     * residents say about the service it is about.
     */
    coverage(
        question: AnalysedText,
        serviceIds: readonly string[],
    ): { knownWords: number; services: { share: number; words: number }[] } {
        let questionWeight = 0;
        const known: [term: string, gain: number][] = [];
        for (const [term, certainty] of question.terms) {
            const idf = this.idf.get(term);
            questionWeight += idf ?? this.unknownIdf * this.dilution(question, term);
            if (idf !== undefined) known.push([term, idf * certainty]);
        }
        const services = serviceIds.map((id) => {
            const own = this.serviceTerms.get(id);
            let covered = 0;
            let words = 0;
            for (const [term, gain] of known) {
                if (!own?.has(term)) continue;
                covered += gain;
                words += 1;
            }
            return { share: questionWeight === 0 ? 0 : covered / questionWeight, words };
        });
        return { knownWords: known.length, services };
    }

    /** How much a word the knowledge does not have dilutes a question, as a share of a rare word. */
    private dilution(question: AnalysedText, term: string): number {
        return question.unrecognised.has(term) ? this.settings.unrecognisedTermWeight : this.settings.unknownTermWeight;
    }

    /**
     * The most a document can score when its words add at most `overlap` to the question's weight; for a phrase or
     * title whose own weight is known, a cheaper bound (the weighted means inequality) that falls as it weighs more.
     */
    private bestPossible(overlap: number, questionWeight: number, docWeight?: number): number {
        const { phraseCoverageExponent: alpha, answerWeight, phraseWeight, titleWeight } = this.settings;
        const coverage = Math.min(1, overlap / questionWeight);
        if (docWeight !== undefined) {
            const most = (alpha * Math.min(1, overlap / docWeight) + (1 - alpha) * coverage) * margin;
            return Math.max(phraseWeight * most, most > 0.999 ? 1 : titleWeight * most);
        }
        // A document's own coverage is at most 1.
        const similarity = coverage ** (1 - alpha) * margin;
        const title = similarity > 0.999 ? 1 : titleWeight * similarity;
        return Math.max(phraseWeight * similarity, title, answerWeight * coverage * margin);
    }

    private candidates(top: readonly number[]): Candidate[] {
        return top.map((service) => {
            const doc = this.bestDoc[service] as number;
            const field = fields[this.docField[doc] as number] as Field;
            return {
                service: this.services[service] as KnowledgeService,
                score: this.bestScore[service] as number,
                field,
                matched: field === 'answer' ? '(answer text)' : (this.docText[doc] as string),
            };
        });
    }

    private nextStamp(): number {
        // Stamps wrap after four billion matches: clear them so an old stamp is never mistaken for a new one.
        if (this.stamp === 0xffffffff) {
            this.stamp = 0;
            this.docStamp.fill(0);
            this.serviceStamp.fill(0);
            this.termStamp.fill(0);
        }
        return ++this.stamp;
    }

    private termIdf(term: string): number {
        return this.idf.get(term) ?? this.unknownIdf;
    }
}
