/** One mistake in a knowledge folder, located for its author. */
export interface KnowledgeProblem {
    /** The file, relative to the working directory. */
    readonly file: string;
    readonly line: number;
    readonly column: number;
    /** The field, e.g. `services[3].phrases`; empty for the whole file. */
    readonly field: string;
    readonly message: string;
}

/** Formats a problem as `file:line:column field: message`. */
export function formatProblem(p: KnowledgeProblem): string {
    return `${p.file}:${p.line}:${p.column}${p.field ? ` ${p.field}` : ''}: ${p.message}`;
}

/** The knowledge folder cannot be used; `problems` says every place that needs fixing. */
export class KnowledgeError extends Error {
    readonly code = 'KNOWLEDGE_INVALID';

    constructor(readonly problems: readonly KnowledgeProblem[]) {
        super(
            `The knowledge folder has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
                problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
        );
        this.name = 'KnowledgeError';
    }
}
