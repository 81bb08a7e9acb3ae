import { expect } from 'chai';
import fc from 'fast-check';
import { KnowledgeEngine, type Understanding } from '../../knowledge/engine';
import type { Knowledge, KnowledgeService } from '../../knowledge/loader';
import { localise } from '../../knowledge/localise';
import { Matcher, defaultMatcherSettings } from '../../knowledge/matcher';
import { normaliseWords, type AnalysedText } from '../../knowledge/normaliser';
import { Router, defaultRouterSettings, type RouteDecision } from '../../knowledge/router';
import { sampleKnowledge } from '../knowledge/knowledgeFixture';

/** The decision and what led to it, as plain data: equal for equal behaviour, readable in a counterexample. */
function summary(understood: Understanding, decision: RouteDecision) {
    return {
        sequence: understood.text.sequence,
        terms: [...understood.text.terms],
        unrecognised: [...understood.text.unrecognised],
        safety: understood.safety?.id,
        wantsPerson: understood.wantsPerson,
        command: understood.command,
        ...decisionSummary(decision),
    };
}

function decisionSummary(decision: RouteDecision) {
    return {
        outcome: decision.outcome,
        answer: decision.outcome === 'answer' ? decision.service.id : undefined,
        options: decision.outcome === 'clarify' ? decision.options.map((s) => s.id) : undefined,
        candidates: decision.candidates.map((c) => ({
            service: c.service.id,
            score: c.score,
            field: c.field,
            matched: c.matched,
        })),
    };
}

/** Every documented promise of a decision, checked against the knowledge it came from. */
function expectValidDecision(knowledge: Knowledge, decision: RouteDecision, text: AnalysedText): void {
    const { candidates } = decision;
    const services = new Set<KnowledgeService>(knowledge.services);
    const s = defaultRouterSettings;
    expect(['answer', 'clarify', 'not-known']).to.include(decision.outcome);
    expect(candidates.length).to.be.at.most(defaultMatcherSettings.candidateLimit);
    expect(new Set(candidates.map((c) => c.service.id)).size, 'one candidate per service').to.equal(candidates.length);
    candidates.forEach((c, i) => {
        expect(services.has(c.service), `candidate ${c.service.id} is a service of the knowledge`).to.equal(true);
        expect(Number.isFinite(c.score), `score ${c.score} is finite`).to.equal(true);
        expect(c.score).to.be.within(0, 1);
        expect(['phrase', 'title', 'answer']).to.include(c.field);
        expect(c.matched).to.be.a('string').with.length.greaterThan(0);
        if (i > 0) expect(c.score, 'highest score first').to.be.at.most((candidates[i - 1] as typeof c).score);
    });
    const [best, next] = candidates;
    const lead = best && next ? best.score - next.score : Infinity;
    // A long message may be answered below the threshold (its words spread over one service), never a short one.
    const story = text.terms.size >= s.storyTerms && (best?.score ?? 0) >= s.storyScore && lead >= s.storyLead;
    if (decision.outcome === 'answer') {
        expect(decision.service).to.equal(best?.service);
        const clear = (best?.score ?? 0) >= s.answerThreshold && lead >= s.answerMargin;
        expect(clear || story, `score ${best?.score} ahead by ${lead}, or a story`).to.equal(true);
    } else if (decision.outcome === 'clarify') {
        expect(decision.options).to.have.length.within(1, s.maxClarifyOptions);
        for (const option of decision.options) {
            const candidate = candidates.find((c) => c.service === option);
            expect(candidate, `option ${option.id} is a candidate`).to.not.equal(undefined);
            expect(candidate?.score).to.be.at.least(s.clarifyThreshold);
        }
    } else if (best) {
        expect(best.score).to.be.below(s.clarifyThreshold);
    }
}

function expectValidUnderstanding(knowledge: Knowledge, understood: Understanding): void {
    const { sequence, terms, unrecognised } = understood.text;
    for (const word of sequence) expect(word).to.be.a('string').with.length.greaterThan(0);
    for (const [term, certainty] of terms) {
        expect(term).to.be.a('string').with.length.greaterThan(0);
        expect(certainty, `certainty of "${term}"`).to.be.greaterThan(0).and.at.most(1);
    }
    for (const term of unrecognised) expect(terms.has(term), `unrecognised "${term}" is a term`).to.equal(true);
    if (understood.safety) expect(knowledge.safetyRules).to.include(understood.safety);
    expect(understood.wantsPerson).to.be.a('boolean');
    expect([undefined, 'help', 'startAgain', 'cancel', 'goodbye']).to.include(understood.command);
}

// Text from every corner of Unicode and of what people paste into a chat box.
const controls = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), '\u007f'];
const invisibles = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'];
const loneSurrogates = ['\ud800', '\udbff', '\udc00', '\udfff', '\ud83d'];
const emoji = ['🗑️', '♻️', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇬🇧', '🚮', '😡', '🙏', '💷', '\u2764\ufe0f'];
const rightToLeft = [...'صندوق القمامة لم يتم إفراغه ', ...'הפח שלי לא רוקן היום ', '\u064b', '\u05b7', '\u0640'];
const markup = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '</textarea><svg onload=alert(1)>',
    '<b>',
    '</p>',
    '&lt;',
    '&#x202e;',
    '{{7*7}}',
    '${process.exit(1)}',
    "' OR 1=1 --",
    '\\u0000',
    '%00',
    '../../etc/passwd',
];
// Names every JavaScript object has: a lookup table that is a plain object answers them all.
const objectKeys = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];
const punctuation = [...'.,;:!?\'’‘`"()[]{}-_/\\|@#~*&^%$£=+<>', '…', '–', '—', '«', '»'];

/** The sample's own phrases, titles and commands: text the engine is built to recognise. */
function samplePhrases(knowledge: Knowledge): string[] {
    const { services, safetyRules, conversation } = knowledge;
    return [
        ...services.flatMap((s) => [...s.phrases, localise(s.title)]),
        ...safetyRules.flatMap((r) => r.phrases.slice(0, 5)),
        ...Object.values(conversation.commands).flat(),
    ];
}

/** A phrase with typing slips: a letter dropped, doubled or swapped with its neighbour, or the case changed. */
function mistyped(phrase: fc.Arbitrary<string>): fc.Arbitrary<string> {
    return fc
        .tuple(
            phrase,
            fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'double', 'swap', 'upper')), { maxLength: 3 }),
        )
        .map(([text, slips]) =>
            slips.reduce((t, [at, slip]) => {
                if (t.length < 2) return t;
                const i = at % (t.length - 1);
                if (slip === 'drop') return t.slice(0, i) + t.slice(i + 1);
                if (slip === 'double') return t.slice(0, i + 1) + t.slice(i);
                if (slip === 'swap') return t.slice(0, i) + t.charAt(i + 1) + t.charAt(i) + t.slice(i + 2);
                return t.toUpperCase();
            }, text),
        );
}

function textArbitraries(knowledge: Knowledge) {
    const phrase = fc.constantFrom(...samplePhrases(knowledge));
    const noise = fc.oneof(
        fc.constantFrom(...controls, ...invisibles, ...loneSurrogates, ...emoji, ...rightToLeft, ...markup),
        fc.constantFrom(...objectKeys).map((key) => ` ${key} `),
        fc.constantFrom(...punctuation),
        fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const piece = fc.oneof(
        { weight: 3, arbitrary: mistyped(phrase) },
        { weight: 2, arbitrary: noise },
        { weight: 1, arbitrary: fc.constant(' ') },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    );
    return {
        ascii: fc.string({ maxLength: 300 }),
        graphemes: fc.string({ unit: 'grapheme', maxLength: 200 }),
        binary: fc.string({ unit: 'binary', maxLength: 200 }),
        controls: fc.string({ unit: fc.constantFrom(...controls, ...invisibles, ' ', 'a', 'bin'), maxLength: 200 }),
        surrogates: fc.string({ unit: fc.constantFrom(...loneSurrogates, ...emoji, 'x', ' '), maxLength: 100 }),
        rightToLeft: fc.string({ unit: fc.constantFrom(...rightToLeft, ...invisibles), maxLength: 200 }),
        markup: fc
            .array(fc.oneof(fc.constantFrom(...markup), mistyped(phrase)), { maxLength: 8 })
            .map((p) => p.join('')),
        phrasesWithNoise: fc.array(piece, { minLength: 1, maxLength: 20 }).map((p) => p.join('')),
    };
}

/** Long text: pasted essays, one enormous word, phrases repeated, random characters. */
function longText(knowledge: Knowledge): fc.Arbitrary<string> {
    const phrase = fc.constantFrom(...samplePhrases(knowledge));
    const length = fc.integer({ min: 2000, max: 20_000 });
    return fc.oneof(
        fc.tuple(fc.array(phrase, { minLength: 1, maxLength: 20 }), length).map(([ps, n]) => {
            let text = '';
            for (let i = 0; text.length < n; i++) text += `${ps[i % ps.length]} `;
            return text.slice(0, n);
        }),
        fc
            .tuple(fc.constantFrom('a', 'bin', 'ж', '😡', '\u200b', '1', 'é', 'ß', '\u0301'), length)
            .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n)),
        fc.string({ unit: 'binary', minLength: 2000, maxLength: 20_000 }),
        fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz   '), minLength: 2000, maxLength: 20_000 }),
    );
}

describe('routing any text (property)', function () {
    this.timeout(120_000);
    let knowledge: Knowledge;
    let engine: KnowledgeEngine;
    /** A second engine with another history of messages: its spelling cache and scratch space differ. */
    let other: KnowledgeEngine;

    before(() => {
        knowledge = sampleKnowledge();
        engine = new KnowledgeEngine(knowledge);
        other = new KnowledgeEngine(knowledge);
    });

    /** Understands and routes a message twice, and on the other engine after an unrelated message. */
    function checkMessage(text: string, unrelated: string): void {
        const understood = engine.understand(text);
        const decision = engine.route(understood.text);
        expectValidUnderstanding(knowledge, understood);
        expectValidDecision(knowledge, decision, understood.text);
        const first = summary(understood, decision);
        const again = engine.understand(text);
        expect(summary(again, engine.route(again.text)), 'the same message twice').to.deep.equal(first);
        other.route(other.understand(unrelated).text);
        const elsewhere = other.understand(text);
        expect(summary(elsewhere, other.route(elsewhere.text)), 'on another engine').to.deep.equal(first);
    }

    const families = ['ascii', 'graphemes', 'binary', 'controls', 'surrogates', 'rightToLeft', 'markup'] as const;
    families.forEach((family, i) => {
        it(`never throws and always decides, deterministically, for any ${family} text`, () => {
            const text = textArbitraries(knowledge)[family];
            fc.assert(
                fc.property(text, fc.string({ maxLength: 40 }), (message, unrelated) =>
                    checkMessage(message, unrelated),
                ),
                { seed: 20_240_101 + i, numRuns: 100 },
            );
        });
    });

    it('never throws and always decides, deterministically, for sample phrases mixed with noise', () => {
        const { phrasesWithNoise } = textArbitraries(knowledge);
        fc.assert(
            fc.property(phrasesWithNoise, phrasesWithNoise, (message, unrelated) => checkMessage(message, unrelated)),
            { seed: 20_240_201, numRuns: 150 },
        );
    });

    it('never throws and always decides, deterministically, for text up to 20,000 characters', () => {
        fc.assert(
            fc.property(longText(knowledge), fc.string({ maxLength: 40 }), (message, unrelated) =>
                checkMessage(message, unrelated),
            ),
            { seed: 20_240_301, numRuns: 12 },
        );
    });

    it('keeps only lower-case words of letters and digits, never a bare number', () => {
        const { binary, graphemes, phrasesWithNoise } = textArbitraries(knowledge);
        fc.assert(
            fc.property(fc.oneof(binary, graphemes, phrasesWithNoise), (message) => {
                const words = normaliseWords(message);
                expect(normaliseWords(message), 'the same words twice').to.deep.equal(words);
                for (const word of words) {
                    expect(word).to.match(/^[\p{L}\p{N}]+$/u);
                    expect(word).to.not.match(/^\p{N}+$/u);
                    expect(word).to.equal(word.toLowerCase());
                }
            }),
            { seed: 20_240_401, numRuns: 300 },
        );
    });

    it('decides the same when emoji, invisible and control characters sit between the words, in any case', () => {
        const phrase = fc.constantFrom(...samplePhrases(knowledge).filter((p) => !/\d/.test(p)));
        // Characters that are neither letters, digits nor apostrophes, so they only ever separate words (not "?",
        // "!" or a line break, which end a sentence: a message's sentences are also matched one by one).
        const separator = fc.constantFrom(...emoji, ...invisibles, '\u0000', '\u0007', '\u001b', '\u007f', ',', '-');
        fc.assert(
            fc.property(
                phrase,
                fc.array(separator, { minLength: 1, maxLength: 30 }),
                fc.boolean(),
                (text, noise, shout) => {
                    const plain = engine.understand(text);
                    let i = 0;
                    const noisy = text
                        .split(' ')
                        .map((word) => `${noise[i++ % noise.length]}${word}${noise[i++ % noise.length]}`)
                        .join(' ');
                    const changed = engine.understand(shout ? noisy.toUpperCase() : noisy);
                    expect(decisionSummary(engine.route(changed.text))).to.deep.equal(
                        decisionSummary(engine.route(plain.text)),
                    );
                    expect(changed.safety?.id).to.equal(plain.safety?.id);
                    expect(changed.wantsPerson).to.equal(plain.wantsPerson);
                },
            ),
            { seed: 20_240_501, numRuns: 300 },
        );
    });

    it('matches and routes any analysed text, including terms no normaliser would produce', () => {
        const vocabulary = [...new Set(samplePhrases(knowledge).flatMap((p) => engine.normaliser.analyse(p).sequence))];
        const term = fc.oneof(
            fc.constantFrom(...vocabulary),
            fc.string({ unit: 'binary', maxLength: 8 }),
            fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
        );
        const analysed: fc.Arbitrary<AnalysedText> = fc
            .tuple(
                fc.array(fc.tuple(term, fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true })), { maxLength: 30 }),
                fc.array(term, { maxLength: 10 }),
            )
            .map(([terms, unrecognised]) => ({
                sequence: terms.map(([t]) => t),
                terms: new Map(terms),
                unrecognised: new Set(unrecognised),
                sentences: [],
            }));
        const router = new Router(new Matcher(knowledge.services, engine.normaliser));
        fc.assert(
            fc.property(analysed, (text) => {
                const decision = router.route(text);
                expectValidDecision(knowledge, decision, text);
                expect(decisionSummary(router.route(text))).to.deep.equal(decisionSummary(decision));
                expect(decisionSummary(engine.route(text))).to.deep.equal(decisionSummary(decision));
            }),
            { seed: 20_240_601, numRuns: 400 },
        );
    });
});
