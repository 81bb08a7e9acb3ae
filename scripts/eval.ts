/**
 * Evaluates the assistant on a file of resident messages:
 *   npm run eval -- --cases test/eval/cases.yaml [--knowledge DIR] [--json]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, loadEvaluationCases } from '../bot/evaluation';
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
        process.stderr.write('Usage: npm run eval -- --cases FILE [--knowledge DIR] [--json]\n');
        return 2;
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

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof KnowledgeError ? error.message : String(error)}\n`);
        process.exit(1);
    },
);
