import fs from 'node:fs';
import { MemoryStorage, TestAdapter } from 'botbuilder';
import { parse } from 'yaml';
import { z } from 'zod';
import type { KnowledgeEngine } from '../knowledge/engine';
import type { TurnDecision, TurnOutcome } from '../dialogs/turnObserver';
import winston from 'winston';
import { createAssistant } from './assistant';
import { createLogger } from './logger';
import { CaseEvents } from './liveChat/caseEvents';
import { SqliteCaseStore } from './stores/sqliteCaseStore';

const expectSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const casesSchema = z.object({
    cases: z.array(z.object({ text: z.string().min(1), expect: expectSchema }).strict()).min(1),
});

/** One evaluation case: what a resident typed and what should happen. */
export interface EvaluationCase {
    readonly text: string;
    /** Service ids (any one is right), or `urgent`, `handoff` or `none`. */
    readonly expect: readonly string[];
}

/** What the bot decided for a case. */
export interface CaseResult {
    readonly text: string;
    readonly expect: string | readonly string[];
    readonly outcome: TurnOutcome;
    readonly services: readonly string[];
    readonly correct: boolean;
    /** Answered with a service that was not expected. */
    readonly wrong: boolean;
    /** Right first time, or the right service was among those offered. */
    readonly reached: boolean;
}

export interface EvaluationSummary {
    readonly cases: number;
    readonly top1: number;
    readonly reached: number;
    readonly wrongAnswers: number;
    readonly urgentRecall: number;
    readonly handoffRecall: number;
    readonly noneHandled: number;
    readonly counts: Readonly<Record<'service' | 'urgent' | 'handoff' | 'none', number>>;
}

const special = new Set(['urgent', 'handoff', 'none']);

/** Reads a cases file; throws with the file name and field when it is malformed. */
export function loadEvaluationCases(file: string): EvaluationCase[] {
    const parsed = casesSchema.safeParse(parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data.cases.map((c) => ({ text: c.text, expect: Array.isArray(c.expect) ? c.expect : [c.expect] }));
}

/** Runs one message through the real bot on a fresh conversation and reads what it decided. */
export async function decide(engine: KnowledgeEngine, text: string): Promise<TurnDecision | undefined> {
    const decisions: TurnDecision[] = [];
    const silent = createLogger('error', [new winston.transports.Console({ silent: true })]);
    const cases = new SqliteCaseStore(':memory:');
    const { bot } = createAssistant({
        storage: new MemoryStorage(),
        knowledge: { current: () => engine },
        observer: { decided: (_context, decision) => void decisions.push(decision) },
        cases,
        caseEvents: new CaseEvents(silent),
        log: silent,
        maxMessageLength: Number.MAX_SAFE_INTEGER,
    });
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.send(text);
    await cases.close();
    return decisions[0];
}

/** Scores one case. */
export function judge(c: EvaluationCase, decision: TurnDecision | undefined): CaseResult {
    const outcome = decision?.outcome ?? 'not-known';
    const services = decision?.services ?? [];
    const answered = outcome === 'answer' ? services[0] : undefined;
    // A list may name a service beside a special label ("[pothole, urgent]"): either is a right first answer.
    const correct =
        answered !== undefined
            ? c.expect.includes(answered)
            : c.expect.includes(outcome === 'not-known' ? 'none' : outcome);
    return {
        text: c.text,
        expect: c.expect.length === 1 ? (c.expect[0] as string) : c.expect,
        outcome,
        services,
        correct,
        wrong: answered !== undefined && !c.expect.includes(answered),
        // Offered: in a "Did you mean" question, or among the closest services offered after a long message.
        reached:
            correct ||
            ((outcome === 'clarify' || decision?.reason === 'closest-offered') &&
                services.some((s) => c.expect.includes(s))),
    };
}

/** What a case wants; it counts as urgent (or handoff, or none) only when no service would be right instead. */
export function caseKind(c: EvaluationCase): 'service' | 'urgent' | 'handoff' | 'none' {
    if (c.expect.some((e) => !special.has(e))) return 'service';
    if (c.expect.includes('urgent')) return 'urgent';
    return c.expect.includes('handoff') ? 'handoff' : 'none';
}

/** Summarises results; every rate is a fraction between 0 and 1. */
export function summarise(cases: readonly EvaluationCase[], results: readonly CaseResult[]): EvaluationSummary {
    const rate = (count: number, of: number) => (of === 0 ? 1 : count / of);
    const of = (k: string) => results.filter((_, i) => caseKind(cases[i] as EvaluationCase) === k);
    const none = of('none');
    return {
        cases: results.length,
        top1: rate(results.filter((r) => r.correct).length, results.length),
        reached: rate(results.filter((r) => r.reached).length, results.length),
        wrongAnswers: rate(results.filter((r) => r.wrong).length, results.length),
        urgentRecall: rate(of('urgent').filter((r) => r.outcome === 'urgent').length, of('urgent').length),
        handoffRecall: rate(of('handoff').filter((r) => r.outcome === 'handoff').length, of('handoff').length),
        noneHandled: rate(none.filter((r) => r.outcome !== 'answer').length, none.length),
        counts: {
            service: of('service').length,
            urgent: of('urgent').length,
            handoff: of('handoff').length,
            none: none.length,
        },
    };
}

/** Runs every case through the bot. */
export async function evaluate(
    engine: KnowledgeEngine,
    cases: readonly EvaluationCase[],
): Promise<{ results: CaseResult[]; summary: EvaluationSummary }> {
    const results: CaseResult[] = [];
    for (const c of cases) results.push(judge(c, await decide(engine, c.text)));
    return { results, summary: summarise(cases, results) };
}
