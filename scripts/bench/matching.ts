import path from 'node:path';
import { projectRoot } from '../../bot/config';
import { loadKnowledge } from '../../knowledge/loader';
import { BenchChild, ChildTimeout, type ChildMessage } from './child';
import { contenderNames, type ContenderName } from './contenders';
import { writeGeneratedKnowledge, type GeneratedKnowledge } from './generateKnowledge';
import type { Accuracy, MatchingSpec } from './matchingWorker';
import type { BenchSettings } from './settings';
import type { LatencySummary } from './stats';

/** One contender on one knowledge size. */
export interface MatchingRow {
    readonly knowledge: string;
    readonly services: number;
    readonly contender: ContenderName;
    /** Why there are no figures, when there are none. */
    readonly skipped?: string;
    readonly startupMs?: number;
    /** Start-up less loading the YAML: indexing or training. */
    readonly buildMs?: number;
    readonly heapMb?: number;
    /** Each timed question asked once, after a warm-up on other questions (cold caches). */
    readonly firstSight?: LatencySummary;
    /** The same questions asked again and again (warm caches): the target's figure. */
    readonly steady?: LatencySummary;
    readonly accuracy?: Accuracy;
}

/** The seed of the generated knowledge: fixed, so every run measures the same services. */
export const knowledgeSeed = 20_261_101;

// Loading and indexing on a busy machine: anything longer is a fault, not a figure.
const generousMs = 300_000;

const sampleDir = path.join(projectRoot, 'knowledge', 'sample');
const casesFile = path.join(projectRoot, 'test', 'eval', 'cases.yaml');
const warmupFile = path.join(projectRoot, 'test', 'eval', 'dev.yaml');
/** Text real residents and councils wrote (test/eval/real): judged for accuracy beside the cases, not timed. */
const realSets = [
    { label: 'real tuning', file: path.join(projectRoot, 'test', 'eval', 'real', 'tuning.yaml') },
    { label: 'real held-out', file: path.join(projectRoot, 'test', 'eval', 'real', 'heldout.yaml') },
];

function knowledgeRow(knowledge: { label: string; services: number }, contender: ContenderName) {
    return { knowledge: knowledge.label, services: knowledge.services, contender };
}

async function measure(
    contender: ContenderName,
    knowledge: { label: string; dir: string; services: number },
    settings: BenchSettings,
    accuracy: boolean,
): Promise<MatchingRow> {
    const m = settings.matching;
    const spec: MatchingSpec = {
        contender,
        knowledgeDir: knowledge.dir,
        casesFile,
        warmupFile,
        warmupMs: m.warmupMs,
        budgetMs: m.budgetMs,
        firstSight: contender === 'engine',
        accuracyEvery: accuracy ? m.accuracyEvery : 0,
        moreAccuracySets: realSets,
    };
    const row = knowledgeRow(knowledge, contender);
    const child = new BenchChild(
        'matchingWorker.ts',
        spec,
        settings.nodeArgs(`matching-${contender}-${knowledge.label}`),
    );
    try {
        // Loading and indexing always finish; only NLP.js training is cut short (its limit is the settings').
        await child.next('loaded', generousMs);
        const limitMs = contender === 'nlpjs' ? m.trainingLimitMs(knowledge.label) : generousMs;
        let built: ChildMessage;
        try {
            built = await child.next('built', limitMs);
        } catch (error) {
            if (!(error instanceof ChildTimeout) || contender !== 'nlpjs') throw error;
            return { ...row, skipped: `skipped (training > ${limitMs / 1000} s)` };
        }
        // Accuracy runs every case through the bot (the engine) or the baseline once: allow it a minute more.
        const result = await child.next('result', m.warmupMs + 2 * m.budgetMs + (accuracy ? 240_000 : 0) + 30_000);
        return {
            ...row,
            startupMs: built.startupMs as number,
            buildMs: built.buildMs as number,
            heapMb: built.heapMb as number,
            ...(result.firstSight !== undefined && { firstSight: result.firstSight as LatencySummary }),
            steady: result.steady as LatencySummary,
            ...(result.accuracy !== undefined && { accuracy: result.accuracy as Accuracy }),
        };
    } finally {
        await child.stop();
    }
}

/**
 * Section 1: each contender on the sample knowledge (with accuracy on the evaluation cases), then on generated
 * knowledge of 500 and 5,000 services; one child process per measurement, one after another.
 */
export async function runMatching(settings: BenchSettings, progress: (line: string) => void): Promise<MatchingRow[]> {
    const rows: MatchingRow[] = [];
    const sizes: { label: string; count?: number }[] = [
        { label: 'sample' },
        { label: '500', count: 500 },
        { label: '5000', count: 5000 },
    ];
    for (const size of sizes) {
        let generated: GeneratedKnowledge | undefined;
        try {
            generated = size.count ? writeGeneratedKnowledge(sampleDir, size.count, knowledgeSeed) : undefined;
            const knowledge = generated
                ? { label: size.label, dir: generated.dir, services: generated.services }
                : { label: size.label, dir: sampleDir, services: loadKnowledge(sampleDir).services.length };
            for (const contender of contenderNames) {
                // Training only grows with the knowledge: when a smaller one ran out of time, or took longer than
                // this one may, so would this.
                const limitMs = settings.matching.trainingLimitMs(size.label);
                const slower = rows.find(
                    (r) =>
                        r.contender === contender &&
                        (r.skipped || (contender === 'nlpjs' && (r.buildMs ?? 0) > limitMs)),
                );
                if (slower) {
                    const skipped =
                        slower.skipped?.replace(/\)$/, ` on ${slower.knowledge} services already)`) ??
                        `skipped (training > ${limitMs / 1000} s: it took ${((slower.buildMs ?? 0) / 1000).toFixed(0)} s on ${slower.knowledge} services)`;
                    rows.push({ ...knowledgeRow(knowledge, contender), skipped });
                    continue;
                }
                progress(`matching: ${contender} on ${size.label} knowledge`);
                rows.push(await measure(contender, knowledge, settings, !generated));
            }
        } finally {
            generated?.remove();
        }
    }
    return rows;
}
