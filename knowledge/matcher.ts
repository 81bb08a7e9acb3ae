import type { KnowledgeService } from './loader';
import { allVersions } from './localise';
import type { AnalysedText, Normaliser } from './normaliser';

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

interface Document {
    readonly service: number;
    readonly field: Field;
    readonly text: string;
    readonly terms: ReadonlySet<string>;
    /** Sum of the inverse document frequencies of the document's terms. */
    readonly weight: number;
}

/**
 * Scores services against a question by the rarity-weighted overlap of their words with each phrase, title
 * and answer (an inverted index, so the cost follows the words asked, not the size of the knowledge).
 */
export class Matcher {
    private readonly documents: Document[] = [];
    private readonly postings = new Map<string, number[]>();
    private readonly idf = new Map<string, number>();
    private readonly unknownIdf: number;

    constructor(
        private readonly services: readonly KnowledgeService[],
        normaliser: Normaliser,
        private readonly settings: MatcherSettings = defaultMatcherSettings,
    ) {
        const raw: Omit<Document, 'weight'>[] = [];
        const servicesWithTerm = new Map<string, Set<number>>();
        services.forEach((service, index) => {
            const add = (field: Field, text: string) => {
                const terms = new Set(normaliser.analyse(text).terms.keys());
                if (terms.size === 0) return;
                raw.push({ service: index, field, text, terms });
                if (field === 'answer') return;
                for (const term of terms) {
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

        for (const doc of raw) {
            const id = this.documents.length;
            const weight = [...doc.terms].reduce((sum, t) => sum + this.termIdf(t), 0);
            this.documents.push({ ...doc, weight });
            for (const term of doc.terms) {
                const list = this.postings.get(term) ?? [];
                list.push(id);
                this.postings.set(term, list);
            }
        }
    }

    /** The best candidates for a question, highest score first. */
    match(question: AnalysedText): Candidate[] {
        let questionWeight = 0;
        const overlaps = new Map<number, number>();
        for (const [term, certainty] of question.terms) {
            const known = this.idf.get(term);
            const dilution = question.unrecognised.has(term)
                ? this.settings.unrecognisedTermWeight
                : this.settings.unknownTermWeight;
            questionWeight += known ?? this.unknownIdf * dilution;
            const idf = known ?? this.unknownIdf;
            for (const doc of this.postings.get(term) ?? []) {
                overlaps.set(doc, (overlaps.get(doc) ?? 0) + idf * certainty);
            }
        }
        if (questionWeight === 0) return [];

        const best = new Map<number, Candidate>();
        const { phraseCoverageExponent: alpha } = this.settings;
        for (const [docId, overlap] of overlaps) {
            const doc = this.documents[docId] as Document;
            const questionCoverage = Math.min(1, overlap / questionWeight);
            const docCoverage = Math.min(1, overlap / doc.weight);
            let score: number;
            if (doc.field === 'answer') {
                score = this.settings.answerWeight * questionCoverage;
            } else {
                const similarity = docCoverage ** alpha * questionCoverage ** (1 - alpha);
                const weight = doc.field === 'phrase' ? this.settings.phraseWeight : this.settings.titleWeight;
                // A question that is exactly a title (a button a resident pressed) is certain.
                score = doc.field === 'title' && similarity > 0.999 ? 1 : weight * similarity;
            }
            const current = best.get(doc.service);
            if (!current || score > current.score) {
                best.set(doc.service, {
                    service: this.services[doc.service] as KnowledgeService,
                    score,
                    field: doc.field,
                    matched: doc.field === 'answer' ? '(answer text)' : doc.text,
                });
            }
        }
        return [...best.values()]
            .sort((a, b) => b.score - a.score || a.service.id.localeCompare(b.service.id))
            .slice(0, this.settings.candidateLimit);
    }

    private termIdf(term: string): number {
        return this.idf.get(term) ?? this.unknownIdf;
    }
}
