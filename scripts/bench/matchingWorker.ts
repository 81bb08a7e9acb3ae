/**
 * A benchmark child: loads one knowledge folder, builds one contender, and measures its start-up, memory,
 * latency and (optionally) accuracy. A process of its own, so each contender's heap and JIT start clean.
 */
import { caseKind as kindOf, evaluate, loadEvaluationCases, type EvaluationCase } from '../../bot/evaluation';
import { KnowledgeEngine } from '../../knowledge/engine';
import { loadKnowledge } from '../../knowledge/loader';
import { childContext, failChild } from './child';
import { buildContender, judgeContender, type Contender, type ContenderName } from './contenders';
import { summariseLatency } from './stats';

/** What the parent asks a matching child to do. */
export interface MatchingSpec {
    readonly contender: ContenderName;
    readonly knowledgeDir: string;
    /** The timed questions (and the accuracy cases). */
    readonly casesFile: string;
    /** Other questions, to warm the code up without warming caches for the timed ones. */
    readonly warmupFile: string;
    readonly warmupMs: number;
    /** Time for the first-sight pass and again for the steady-state passes. */
    readonly budgetMs: number;
    /** Time each question once on cold caches first (only the engine keeps caches: the spelling corrections). */
    readonly firstSight: boolean;
    /** Judge accuracy on every `accuracyEvery`-th case (1: all of them), or not at all (0). */
    readonly accuracyEvery: number;
    /** More sets to judge accuracy on the same way (not timed): the real-world text. */
    readonly moreAccuracySets: readonly { readonly label: string; readonly file: string }[];
}

/** A contender's accuracy on the cases both baselines can be judged on (services and "not known"). */
export interface Accuracy {
    readonly correct: number;
    readonly of: number;
    /** The engine only: the evaluation's own top-1 over every case (urgent and handoff included). */
    readonly evaluationTop1?: number;
    readonly evaluationCases?: number;
    /** The same on the other sets, by label. */
    readonly more?: readonly (Accuracy & { readonly label: string })[];
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

async function timeOne(contender: Contender, text: string): Promise<number> {
    const start = process.hrtime.bigint();
    const answer = contender.ask(text);
    if (answer instanceof Promise) await answer;
    return Number(process.hrtime.bigint() - start);
}

/** Times questions in order, round and round, until the budget is spent (or `once` and each was asked). */
async function timeQuestions(contender: Contender, texts: readonly string[], budgetMs: number, once: boolean) {
    const samples: number[] = [];
    const questions: number[] = [];
    const deadline = performance.now() + budgetMs;
    for (let i = 0; performance.now() < deadline && !(once && i >= texts.length); i++) {
        samples.push(await timeOne(contender, texts[i % texts.length] as string));
        questions.push(i % texts.length);
    }
    return summariseLatency(samples, questions);
}

/** The engine through the real bot, as `npm run eval` runs it. */
async function engineAccuracy(dir: string, cases: readonly EvaluationCase[]): Promise<Accuracy> {
    const { results, summary } = await evaluate(new KnowledgeEngine(loadKnowledge(dir)), cases);
    const comparable = results.filter((_, i) => ['service', 'none'].includes(kindOf(cases[i] as EvaluationCase)));
    return {
        correct: comparable.filter((r) => r.correct).length,
        of: comparable.length,
        evaluationTop1: summary.top1,
        evaluationCases: summary.cases,
    };
}

async function main(): Promise<void> {
    const { spec, send } = childContext<MatchingSpec>();
    const cases = loadEvaluationCases(spec.casesFile);
    const warmup = loadEvaluationCases(spec.warmupFile).map((c) => c.text);
    const texts = cases.map((c) => c.text);

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = process.hrtime.bigint();
    const knowledge = loadKnowledge(spec.knowledgeDir);
    const loaded = process.hrtime.bigint();
    void send({ type: 'loaded', loadMs: Number(loaded - started) / 1e6 });
    const contender = await buildContender(spec.contender, knowledge);
    const built = process.hrtime.bigint();
    gc();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    await send({
        type: 'built',
        startupMs: Number(built - started) / 1e6,
        buildMs: Number(built - loaded) / 1e6,
        heapMb,
    });

    await timeQuestions(contender, warmup, spec.warmupMs, false);
    const firstSight = spec.firstSight ? await timeQuestions(contender, texts, spec.budgetMs, true) : undefined;
    const steady = await timeQuestions(contender, texts, spec.budgetMs, false);
    const judge = (all: readonly EvaluationCase[]) => {
        const judged = all.filter((_, i) => spec.accuracyEvery > 0 && i % spec.accuracyEvery === 0);
        if (judged.length === 0) return undefined;
        return spec.contender === 'engine'
            ? engineAccuracy(spec.knowledgeDir, judged)
            : judgeContender(contender, judged).then(({ correct, of }) => ({ correct, of }));
    };
    const main = await judge(cases);
    const more: (Accuracy & { label: string })[] = [];
    for (const set of spec.moreAccuracySets) {
        const found = await judge(loadEvaluationCases(set.file));
        if (found) more.push({ ...found, label: set.label });
    }
    const accuracy = main && { ...main, more };
    await send({ type: 'result', steady, ...(firstSight && { firstSight }), ...(accuracy && { accuracy }) });
}

// Exits by itself once the result is sent, so a CPU profile (--profile) is written.
main().then(
    () => process.exit(0),
    (error: unknown) => failChild(error),
);
