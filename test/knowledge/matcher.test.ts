import path from 'node:path';
import { expect } from 'chai';
import { loadEvaluationCases } from '../../bot/evaluation';
import { projectRoot } from '../../bot/config';
import { KnowledgeEngine } from '../../knowledge/engine';
import { loadKnowledge, type Knowledge, type KnowledgeService } from '../../knowledge/loader';
import { allVersions } from '../../knowledge/localise';
import { defaultMatcherSettings, Matcher, type Candidate } from '../../knowledge/matcher';
import type { AnalysedText, Normaliser } from '../../knowledge/normaliser';
import { writeGeneratedKnowledge } from '../../scripts/bench/generateKnowledge';

/** The matcher's scoring done the plain way: every document the question touches, scored and sorted. */
function scoreEveryDocument(services: readonly KnowledgeService[], normaliser: Normaliser) {
    const s = defaultMatcherSettings;
    const docs: { service: number; field: Candidate['field']; text: string; terms: Set<string>; weight: number }[] = [];
    const owners = new Map<string, Set<number>>();
    services.forEach((service, index) => {
        const add = (field: Candidate['field'], text: string) => {
            const terms = new Set(normaliser.analyse(text).terms.keys());
            if (terms.size === 0) return;
            docs.push({ service: index, field, text, terms, weight: 0 });
            if (field !== 'answer') for (const t of terms) owners.set(t, (owners.get(t) ?? new Set()).add(index));
        };
        service.phrases.forEach((p) => add('phrase', p));
        allVersions(service.title).forEach((t) => add('title', t));
        allVersions(service.answer).forEach((a) => add('answer', a));
    });
    const n = services.length;
    const idf = new Map([...owners].map(([t, o]) => [t, Math.log((n + 1) / (o.size + 0.5))]));
    const unknown = Math.log((n + 1) / 0.5);
    for (const doc of docs) doc.weight = [...doc.terms].reduce((sum, t) => sum + (idf.get(t) ?? unknown), 0);

    return (question: AnalysedText): Candidate[] => {
        let questionWeight = 0;
        const overlaps = new Map<number, number>();
        for (const [term, certainty] of question.terms) {
            const dilution = question.unrecognised.has(term) ? s.unrecognisedTermWeight : s.unknownTermWeight;
            questionWeight += idf.get(term) ?? unknown * dilution;
            docs.forEach((doc, id) => {
                if (doc.terms.has(term))
                    overlaps.set(id, (overlaps.get(id) ?? 0) + (idf.get(term) ?? unknown) * certainty);
            });
        }
        if (questionWeight === 0) return [];
        const best = new Map<number, Candidate>();
        for (const [id, overlap] of overlaps) {
            const doc = docs[id]!;
            const q = Math.min(1, overlap / questionWeight);
            const d = Math.min(1, overlap / doc.weight);
            const similarity = d ** s.phraseCoverageExponent * q ** (1 - s.phraseCoverageExponent);
            const score =
                doc.field === 'answer'
                    ? s.answerWeight * q
                    : doc.field === 'title' && similarity > 0.999
                      ? 1
                      : (doc.field === 'phrase' ? s.phraseWeight : s.titleWeight) * similarity;
            if (!best.has(doc.service) || score > best.get(doc.service)!.score) {
                const matched = doc.field === 'answer' ? '(answer text)' : doc.text;
                best.set(doc.service, { service: services[doc.service]!, score, field: doc.field, matched });
            }
        }
        return [...best.values()]
            .sort((a, b) => b.score - a.score || a.service.id.localeCompare(b.service.id))
            .slice(0, s.candidateLimit);
    };
}

function expectSameCandidates(knowledge: Knowledge, questions: readonly string[]): void {
    const engine = new KnowledgeEngine(knowledge);
    const matcher = new Matcher(knowledge.services, engine.normaliser);
    const reference = scoreEveryDocument(knowledge.services, engine.normaliser);
    const summary = (candidates: Candidate[]) => candidates.map((c) => [c.service.id, c.score, c.field, c.matched]);
    for (const question of questions) {
        const analysed = engine.normaliser.analyse(question);
        expect(summary(matcher.match(analysed)), question).to.deep.equal(summary(reference(analysed)));
    }
}

describe('matching', function () {
    // Scoring every document the plain way is slow on a large knowledge.
    this.timeout(120_000);
    const sampleDir = path.join(projectRoot, 'knowledge', 'sample');
    const questions = ['cases', 'dev', 'holdout'].flatMap((f) =>
        loadEvaluationCases(path.join(projectRoot, 'test', 'eval', `${f}.yaml`)).map((c) => c.text),
    );

    it('finds exactly the candidates of scoring every document, on the sample knowledge', () => {
        const knowledge = loadKnowledge(sampleDir);
        const titles = knowledge.services.map((s) => allVersions(s.title)[0] as string);
        expectSameCandidates(knowledge, [...questions, ...titles, 'council', 'council tax', 'bins']);
    });

    it('finds exactly the candidates of scoring every document, where common words skip most documents', () => {
        const generated = writeGeneratedKnowledge(sampleDir, 600, 3);
        try {
            const knowledge = loadKnowledge(generated.dir);
            const phrases = knowledge.services.filter((_, i) => i % 25 === 0).flatMap((s) => s.phrases.slice(0, 3));
            expectSameCandidates(knowledge, [...questions.filter((_, i) => i % 3 === 0), ...phrases]);
        } finally {
            generated.remove();
        }
    });
});
