import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { KnowledgeError } from '../../knowledge/errors';
import { loadKnowledge, type Knowledge, type KnowledgeService } from '../../knowledge/loader';
import type { Service } from '../../knowledge/schema';

/** The shipped sample knowledge folder. */
export const sampleDir = path.resolve(__dirname, '../../knowledge/sample');

let sample: Knowledge | undefined;

/** The sample knowledge, loaded once for the whole run. */
export function sampleKnowledge(): Knowledge {
    sample ??= loadKnowledge(sampleDir);
    return sample;
}

/** A 1-based line and column, as the loader reports them. */
export interface Position {
    readonly line: number;
    readonly column: number;
}

function positionAt(text: string, offset: number): Position {
    const before = text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The one occurrence of `search` in `text` at or after `from` and before `to`; throws when missing or repeated. */
function uniqueOffset(text: string, search: string, from = 0, to = text.length): number {
    const at = text.indexOf(search, from);
    if (at < 0 || at + search.length > to) throw new Error(`fixture: ${JSON.stringify(search)} not found`);
    const again = text.indexOf(search, at + 1);
    if (again >= 0 && again + search.length <= to) throw new Error(`fixture: ${JSON.stringify(search)} found twice`);
    return at;
}

/**
 * A temporary copy of the sample knowledge folder, edited one mistake at a time with string replacement so a
 * test knows exactly where the mistake is. Positions are found by searching the edited text, never hard-coded,
 * so the tests keep working while the sample's phrases change.
 */
export class KnowledgeCopy {
    readonly dir: string;

    constructor() {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-test-'));
        fs.cpSync(sampleDir, this.dir, { recursive: true });
    }

    /** The file name as the loader prints it (relative to the working directory). */
    shown(file: string): string {
        return path.relative(process.cwd(), path.join(this.dir, file));
    }

    read(file: string): string {
        return fs.readFileSync(path.join(this.dir, file), 'utf8');
    }

    write(file: string, text: string): void {
        fs.writeFileSync(path.join(this.dir, file), text);
    }

    remove(file: string): void {
        fs.rmSync(path.join(this.dir, file));
    }

    load(): Knowledge {
        return loadKnowledge(this.dir);
    }

    /** Deletes the copy. */
    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    /**
     * Replaces the single occurrence of `search` (inside the service `service` when given) and returns where the
     * replacement starts.
     */
    replace(file: string, search: string, replacement: string, service?: string): Position {
        const text = this.read(file);
        const [from, to] = service ? this.serviceSpan(text, service) : [0, text.length];
        const at = uniqueOffset(text, search, from, to);
        this.write(file, text.slice(0, at) + replacement + text.slice(at + search.length));
        return positionAt(text, at);
    }

    /**
     * Replaces a whole field of a service (the `    field:` line and every more deeply indented line after it)
     * with `replacement`, and returns where the field's key was.
     */
    replaceField(file: string, service: string, field: string, replacement: string): Position {
        const text = this.read(file);
        const [from, to] = this.serviceSpan(text, service);
        const start = uniqueOffset(text, `\n    ${field}:`, from, to) + 1;
        let end = start;
        const lines = text.slice(start, to).split('\n');
        for (const [i, line] of lines.entries()) {
            if (i > 0 && /^ {0,4}\S/.test(line)) break;
            end += line.length + 1;
        }
        // Blank lines at the end of the block belong to the layout, not to the field.
        while (text[end - 2] === '\n') end--;
        this.write(file, text.slice(0, start) + replacement + text.slice(Math.min(end, text.length)));
        return positionAt(text, start + 4);
    }

    /** Where `search` is (inside the service `service` when given) in the file as it is now. */
    locate(file: string, search: string, service?: string): Position {
        const text = this.read(file);
        const [from, to] = service ? this.serviceSpan(text, service) : [0, text.length];
        return positionAt(text, uniqueOffset(text, search, from, to));
    }

    /** The index of the entry `  - id: <id>` in a file's list (services, or safety rules). */
    indexOfId(file: string, id: string): number {
        const ids = [...this.read(file).matchAll(/^ {2}- id: ([a-z0-9-]+)\s*$/gm)].map((m) => m[1]);
        const index = ids.indexOf(id);
        if (index < 0) throw new Error(`fixture: no entry ${id} in ${file}`);
        return index;
    }

    /** The text of one service, from its `- id:` line to the next service. */
    private serviceSpan(text: string, service: string): [number, number] {
        const from = uniqueOffset(text, `\n  - id: ${service}\n`);
        const next = text.indexOf('\n  - id: ', from + 1);
        return [from, next < 0 ? text.length : next];
    }
}

/** Loads a knowledge folder that must be invalid and returns the error. */
export function loadError(copy: KnowledgeCopy): KnowledgeError {
    try {
        copy.load();
    } catch (error) {
        expect(error).to.be.instanceOf(KnowledgeError);
        const knowledgeError = error as KnowledgeError;
        expect(knowledgeError.code).to.equal('KNOWLEDGE_INVALID');
        expect(knowledgeError.problems).to.be.an('array').with.length.greaterThan(0);
        return knowledgeError;
    }
    throw new Error('expected the knowledge folder to be rejected');
}

/** `file:line:column field` as the error message prints it. */
export function where(copy: KnowledgeCopy, file: string, at: Position, field: string): string {
    return `${copy.shown(file)}:${at.line}:${at.column}${field ? ` ${field}` : ''}`;
}

/** A service for an in-memory knowledge, with the schema's defaults filled in. */
export function makeService(fields: Pick<Service, 'id' | 'title' | 'phrases'> & Partial<Service>): KnowledgeService {
    return {
        answer: `All about ${fields.id}.`,
        links: [],
        related: [],
        customerType: 'resident',
        file: 'in-memory.yaml',
        ...fields,
    };
}

/** The sample's council, safety rules, conversation and sites with handmade services, so routing can be controlled. */
export function knowledgeWith(services: readonly KnowledgeService[]): Knowledge {
    const { dir, council, safetyRules, conversation, sites } = sampleKnowledge();
    return { dir, council, safetyRules, conversation, sites, services, synonyms: {} };
}
