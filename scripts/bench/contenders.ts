import Fuse from 'fuse.js';
import { caseKind, type EvaluationCase } from '../../bot/evaluation';
import { KnowledgeEngine } from '../../knowledge/engine';
import type { Knowledge } from '../../knowledge/loader';

/** The matchers compared: this project's engine, and two ways a team might otherwise have done it. */
export const contenderNames = ['engine', 'fuse', 'nlpjs'] as const;
export type ContenderName = (typeof contenderNames)[number];

/** A matcher under test: given a question, the service it would answer with, or undefined for "not known". */
export interface Contender {
    ask(text: string): string | undefined | Promise<string | undefined>;
}

// node-nlp ships no type declarations: only what the benchmark calls is declared here.
interface NlpManager {
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
}
type NlpManagerClass = new (settings: object) => NlpManager;

/** Loaded before any measuring starts, so its code is not counted as the contender's memory. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped CommonJS package
const { NlpManager } = require('node-nlp') as { NlpManager: NlpManagerClass };

/**
 * Builds a contender from loaded knowledge (indexing or training it). The engine answers as the bot's router
 * does (after the safety rules, person requests and commands); Fuse.js has its default options over every
 * phrase; NLP.js is trained with each service as an intent and each of its phrases as an utterance.
 */
export async function buildContender(name: ContenderName, knowledge: Knowledge): Promise<Contender> {
    if (name === 'engine') {
        const engine = new KnowledgeEngine(knowledge);
        return {
            ask: (text) => {
                const understood = engine.understand(text);
                const decision = engine.route(understood.text);
                return decision.outcome === 'answer' ? decision.service.id : undefined;
            },
        };
    }
    const phrases = knowledge.services.flatMap((s) => s.phrases.map((text) => ({ text, service: s.id })));
    if (name === 'fuse') {
        // Deliberately the defaults (threshold 0.6, location 0, distance 100): what `new Fuse(list, { keys })` gives.
        const fuse = new Fuse(phrases, { keys: ['text'] });
        // Fuse returns only items within its default threshold, so an empty result is its "not known".
        return { ask: (text) => fuse.search(text)[0]?.item.service };
    }
    // autoSave off, or training writes model.nlp into the working folder; log off only silences progress lines.
    const manager = new NlpManager({ languages: ['en'], autoSave: false, autoLoad: false, nlu: { log: false } });
    for (const { text, service } of phrases) manager.addDocument('en', text, service);
    await manager.train();
    // NLP.js answers "None" when its best intent scores below its default threshold (0.5): its "not known".
    return {
        ask: async (text) => {
            const { intent } = await manager.process('en', text);
            return intent === 'None' ? undefined : intent;
        },
    };
}

/**
 * Judges a contender as bot/evaluation.ts judges the bot, on the cases Fuse.js and NLP.js can answer at all (those
 * wanting a service or nothing): right when it answers an expected service, or nothing for `none`; wrong when it
 * answers a service not expected.
 */
export async function judgeContender(
    contender: Contender,
    cases: readonly EvaluationCase[],
): Promise<{ correct: number; wrong: number; of: number }> {
    let correct = 0;
    let wrong = 0;
    let of = 0;
    for (const c of cases) {
        const kind = caseKind(c);
        if (kind === 'urgent' || kind === 'handoff') continue;
        of++;
        const answered = await contender.ask(c.text);
        if (answered === undefined ? kind === 'none' : c.expect.includes(answered)) correct++;
        else if (answered !== undefined) wrong++;
    }
    return { correct, wrong, of };
}
