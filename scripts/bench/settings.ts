import path from 'node:path';

/** How long and how hard each section runs; `--quick` shortens everything but leaves out nothing. */
export interface BenchSettings {
    readonly quick: boolean;
    readonly matching: {
        readonly warmupMs: number;
        /** Spent on the first-sight pass, and again on the steady-state passes. */
        readonly budgetMs: number;
        /** Accuracy is judged on every n-th evaluation case (1: every case). */
        readonly accuracyEvery: number;
        /** Beyond this NLP.js training on a knowledge size is cut short and reported as skipped. */
        trainingLimitMs(knowledge: string): number;
    };
    readonly endToEnd: {
        readonly connections: number;
        readonly warmupSeconds: number;
        /** Each server is loaded this long in each round; the servers take turns. */
        readonly seconds: number;
        readonly rounds: number;
    };
    readonly directLine: { readonly conversations: number; readonly rounds: number; readonly startConcurrency: number };
    readonly memory: { readonly conversations: number; readonly concurrency: number };
    /** Node.js options for a child: a CPU profile per child when profiling. */
    nodeArgs(label: string): string[];
}

/** The settings for a full or a quick run; `profileDir` turns on --cpu-prof in every child. */
export function benchSettings(quick: boolean, profileDir?: string): BenchSettings {
    return {
        quick,
        // NLP.js trains for 4 to 7 minutes on 500 services here (far longer on 5,000): a full run waits for the
        // 500, a quick run waits for neither.
        matching: quick
            ? {
                  warmupMs: 200,
                  budgetMs: 1000,
                  // Fuse.js with its defaults takes about 0.1 s a question: a fifth of the cases keeps this short.
                  accuracyEvery: 5,
                  trainingLimitMs: (k) => (k === 'sample' ? 30_000 : 3_000),
              }
            : {
                  warmupMs: 2000,
                  budgetMs: 8000,
                  accuracyEvery: 1,
                  trainingLimitMs: (k) => (k === 'sample' ? 120_000 : k === '500' ? 600_000 : 120_000),
              },
        endToEnd: quick
            ? { connections: 32, warmupSeconds: 0.5, seconds: 1, rounds: 3 }
            : { connections: 32, warmupSeconds: 5, seconds: 10, rounds: 3 },
        directLine: quick
            ? { conversations: 200, rounds: 2, startConcurrency: 32 }
            : { conversations: 200, rounds: 10, startConcurrency: 32 },
        memory: quick ? { conversations: 500, concurrency: 32 } : { conversations: 10_000, concurrency: 32 },
        // A folder per child: Node writes a profile per thread (tsx's loader has one), named by pid and thread.
        nodeArgs: (label) => (profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, label)] : []),
    };
}

/** Where results are written, relative to the project root. */
export const resultsDir = path.join('bench', 'results');
