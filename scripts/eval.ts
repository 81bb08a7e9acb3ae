/**
 * Evaluates the assistant on resident messages.
 *   npm run eval                                   every evaluation set, the engine beside Fuse.js and NLP.js
 *   npm run eval -- --cases FILE [--json]          one file, listing the cases not right first time
 * Both take --knowledge DIR (default: the sample knowledge, which the sets are labelled on).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
    caseKind,
    evaluate,
    loadEvaluationCases,
    type EvaluationCase,
    type EvaluationSummary,
} from '../bot/evaluation';
import type { Knowledge } from '../knowledge/loader';
import { buildContender, judgeContender } from './bench/contenders';
import { KnowledgeEngine } from '../knowledge/engine';
import { KnowledgeError } from '../knowledge/errors';
import { loadKnowledge } from '../knowledge/loader';
import { projectRoot } from '../bot/config';

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            cases: { type: 'string' },
            knowledge: { type: 'string', default: path.join(projectRoot, 'knowledge', 'sample') },
            json: { type: 'boolean', default: false },
        },
    });
    if (!values.cases) {
        await compareOnEverySet(loadKnowledge(values.knowledge));
        return 0;
    }
    const engine = new KnowledgeEngine(loadKnowledge(values.knowledge));
    const { results, summary } = await evaluate(engine, loadEvaluationCases(values.cases));

    if (values.json) {
        for (const r of results) {
            process.stdout.write(
                `${JSON.stringify({ text: r.text, expect: r.expect, outcome: r.outcome, services: r.services })}\n`,
            );
        }
        process.stdout.write(`${JSON.stringify({ summary })}\n`);
        return 0;
    }

    const misses = results.filter((r) => !r.correct);
    if (misses.length > 0) {
        process.stdout.write('Not right first time:\n');
        const width = Math.min(70, Math.max(...misses.map((r) => r.text.length)));
        for (const r of misses) {
            const text = r.text.length > width ? `${r.text.slice(0, width - 1)}…` : r.text.padEnd(width);
            const expect = Array.isArray(r.expect) ? r.expect.join('|') : r.expect;
            process.stdout.write(`  ${text}  expected ${expect}; ${r.outcome} ${r.services.join(', ')}\n`);
        }
        process.stdout.write('\n');
    }
    const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
    const rows: [string, string][] = [
        [
            'cases',
            `${summary.cases} (${Object.entries(summary.counts)
                .map(([k, v]) => `${v} ${k}`)
                .join(', ')})`,
        ],
        ['top-1 accuracy', pct(summary.top1)],
        ['reached (answered or offered)', pct(summary.reached)],
        ['wrong answers', pct(summary.wrongAnswers)],
        ['urgent recall', pct(summary.urgentRecall)],
        ['handoff recall', pct(summary.handoffRecall)],
        ['none handled', pct(summary.noneHandled)],
    ];
    for (const [name, value] of rows) process.stdout.write(`${name.padEnd(31)} ${value}\n`);
    return 0;
}

/** The evaluation sets, in the order reported. Held-out sets are reported as figures only, never case by case. */
export const evaluationSets: readonly { readonly label: string; readonly file: string }[] = [
    { label: 'written with the knowledge', file: 'test/eval/cases.yaml' },
    { label: 'everyday wording (dev)', file: 'test/eval/dev.yaml' },
    { label: 'harder wording, held out', file: 'test/eval/holdout.yaml' },
    { label: 'real text, tuning part', file: 'test/eval/real/tuning.yaml' },
    { label: 'real text, held out', file: 'test/eval/real/heldout.yaml' },
];

async function compareOnEverySet(knowledge: Knowledge): Promise<void> {
    const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
    const rows: string[][] = [
        ['set', 'cases', 'top-1', 'reached', 'wrong', 'urgent', 'handoff', 'engine*', 'Fuse.js*', 'NLP.js*'],
    ];
    const engine = new KnowledgeEngine(knowledge);
    // Each built (NLP.js trained) once for every set.
    const fuse = await buildContender('fuse', knowledge);
    const nlpjs = await buildContender('nlpjs', knowledge);
    for (const set of evaluationSets) {
        const cases = loadEvaluationCases(path.join(projectRoot, set.file));
        const { results, summary } = await evaluate(engine, cases);
        const comparable = results.filter((_, i) => ['service', 'none'].includes(caseKind(cases[i] as EvaluationCase)));
        const ours = {
            correct: comparable.filter((r) => r.correct).length,
            wrong: comparable.filter((r) => r.wrong).length,
            of: comparable.length,
        };
        const fuseFigures = await judgeContender(fuse, cases);
        const nlpjsFigures = await judgeContender(nlpjs, cases);
        const cell = (a: { correct: number; wrong: number; of: number }) =>
            `${pct(a.correct / a.of)} (${pct(a.wrong / a.of)} wrong)`;
        const s: EvaluationSummary = summary;
        rows.push([
            set.label,
            String(s.cases),
            pct(s.top1),
            pct(s.reached),
            pct(s.wrongAnswers),
            s.counts.urgent ? pct(s.urgentRecall) : '-',
            s.counts.handoff ? pct(s.handoffRecall) : '-',
            cell(ours),
            cell(fuseFigures),
            cell(nlpjsFigures),
        ]);
    }
    const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
    for (const row of rows) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i] as number)).join('  ')}\n`);
    process.stdout.write(
        '\n* top-1 (and wrong answers) on the cases that want a service or nothing, the only ones Fuse.js and NLP.js ' +
            'can answer; the other columns are the whole bot on every case.\n',
    );
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof KnowledgeError ? error.message : String(error)}\n`);
        process.exit(1);
    },
);
