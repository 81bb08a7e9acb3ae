import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { formatProblem, KnowledgeError } from '../../knowledge/errors';
import { fill } from '../../knowledge/localise';
import { expandTemplate } from '../../knowledge/phraseTemplates';
import { KnowledgeCopy, sampleDir } from '../knowledge/knowledgeFixture';

/** Every YAML file of the sample folder, relative to it. */
const yamlFiles = [
    ...fs.readdirSync(sampleDir).filter((f) => f.endsWith('.yaml')),
    ...fs
        .readdirSync(path.join(sampleDir, 'services'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `services/${f}`),
].sort();

/** YAML's less travelled corners: anchors and aliases (one with no anchor), tags, complex keys, merge keys. */
const yamlOddities = fc.constantFrom(
    '&anchor value',
    '*anchor',
    '*nowhere',
    '&a [1, 2]',
    '!!binary aGVsbG8=',
    '!!timestamp 2001-12-14',
    '!!set {a, b}',
    '!!map [1]',
    '!custom x',
    '!!int nope',
    '!!str',
    '? [a]\n: b',
    '<<: {a: 1}',
    '<<: *nowhere',
    // A "billion laughs": a thousand copies from a few aliases.
    '[&a [x, x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]]',
    '---',
    '...',
    '%YAML 1.1',
);

/** Values as an author might mistype them, or as nobody would. */
const authorSlips = fc.constantFrom(
    '',
    '~',
    'null',
    'yes',
    'no',
    'true',
    '0x1F',
    '.inf',
    '-.nan',
    '1e309',
    '2026-13-45',
    '12:30',
    "'#1d70b8'",
    '#1d70b8',
    '"unterminated',
    "'it''s'",
    '"\\u0000\\x07"',
    '|\n  a block\n  of text',
    '>-\n  folded',
    '[a, b',
    '{a: 1',
    '{a: 1, a: 2}',
    '[[[[[]]]]]',
    '- a\n- b',
    'a: b: c',
    '{"__proto__": {"polluted": true}}',
    '{constructor: x, toString: y}',
    '"{constructor} hit me"',
    '"{__proto__}"',
    '"{toString} {valueOf}"',
    '../../../etc/passwd.svg',
    '/etc/passwd',
    'logo.png',
    'services',
    'https://',
    'javascript:alert(1)',
    '"x".repeat',
);

/** A YAML value in place of an author's: scalars, lists and maps, well formed or not. */
const yamlConstructs = fc.oneof(yamlOddities, authorSlips);

const yamlValue: fc.Arbitrary<string> = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
    yamlConstructs,
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: fc.constantFrom(...':-?[]{},#&*!|>\'"%@` \t\n'), maxLength: 12 }),
);

/** One way of damaging a file's text. */
type Mutation = (text: string) => string;

const lines = (text: string) => text.split('\n');
const at = (index: number, length: number) => (length === 0 ? 0 : index % length);

/** Replaces the value after a key (`key: value`) or a list dash (`- value`) on the `i`th such line. */
function replaceValue(text: string, i: number, value: string): string {
    const all = lines(text);
    const valued = [...all.keys()].filter((k) => /^\s*(?:- |[\w-]+:\s)\S/.test(all[k] ?? ''));
    const k = valued[at(i, valued.length)];
    if (k === undefined) return text;
    const line = all[k] as string;
    const start = /^(\s*(?:- (?:[\w-]+:\s+)?|[\w-]+:\s+))/.exec(line)?.[1] ?? '';
    const indent = ' '.repeat(start.length);
    all[k] = start + value.split('\n').join(`\n${indent}`);
    return all.join('\n');
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.nat().map((i): Mutation => (text) => {
        const all = lines(text);
        all.splice(at(i, all.length), 1);
        return all.join('\n');
    }),
    fc.nat().map((i): Mutation => (text) => {
        const all = lines(text);
        const k = at(i, all.length);
        all.splice(k, 0, all[k] ?? '');
        return all.join('\n');
    }),
    fc
        .tuple(fc.nat(), fc.constantFrom('', ' ', '  ', '   ', '      ', '\t', '\u00a0'))
        .map(([i, indent]): Mutation => (text) => {
            const all = lines(text);
            const k = at(i, all.length);
            all[k] = indent + (all[k] ?? '').trimStart();
            return all.join('\n');
        }),
    fc.tuple(fc.nat(), yamlValue).map(
        ([i, value]): Mutation =>
            (text) =>
                replaceValue(text, i, value),
    ),
    fc.nat().map(
        (i): Mutation =>
            (text) =>
                text.slice(0, at(i, text.length + 1)),
    ),
    fc
        .tuple(
            fc.nat(),
            fc.oneof(
                fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
                fc.constantFrom('\ufeff', '\u0000', '\t', ':', '- ', '#', '"', "'", '&a ', '*a', '{', '[', '\r\n'),
            ),
        )
        .map(([i, inserted]): Mutation => (text) => {
            const k = at(i, text.length + 1);
            return text.slice(0, k) + inserted + text.slice(k);
        }),
    fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Mutation => (text) => {
        const all = lines(text);
        const a = at(i, all.length);
        const b = at(j, all.length);
        [all[a], all[b]] = [all[b] as string, all[a] as string];
        return all.join('\n');
    }),
);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('loading damaged knowledge YAML (property)', function () {
    this.timeout(120_000);
    let copy: KnowledgeCopy;
    const original = new Map<string, string>();

    before(() => {
        copy = new KnowledgeCopy();
        for (const file of yamlFiles) original.set(file, copy.read(file));
    });
    after(() => copy.dispose());

    /** The folder's files as the loader names them, with each one's number of lines now. */
    const shownFiles = () =>
        new Map(
            [...yamlFiles, 'services', 'logo.svg'].map((file) => {
                const absolute = path.join(copy.dir, file);
                const text = fs.existsSync(absolute) && fs.statSync(absolute).isFile() ? copy.read(file) : '';
                return [copy.shown(file), lines(text).length];
            }),
        );

    /** Loads the folder with one file's text changed: it loads, or every problem is located. */
    const loadsOrLocates = (file: string, text: string) => {
        copy.write(file, text);
        try {
            let error: unknown;
            try {
                copy.load();
            } catch (thrown) {
                error = thrown;
            }
            if (error === undefined) return;
            expect(error, String((error as Error)?.stack)).to.be.instanceOf(KnowledgeError);
            const { problems, message, code } = error as KnowledgeError;
            expect(code).to.equal('KNOWLEDGE_INVALID');
            expect(problems).to.have.length.greaterThan(0);
            const files = shownFiles();
            for (const problem of problems) {
                const where = `${problem.file}:${problem.line}:${problem.column}`;
                expect(files.has(problem.file), `${where} names a file of the folder`).to.equal(true);
                expect(Number.isInteger(problem.line) && problem.line >= 1, where).to.equal(true);
                expect(problem.line, where).to.be.at.most(files.get(problem.file) as number);
                expect(Number.isInteger(problem.column) && problem.column >= 1, where).to.equal(true);
                expect(problem.message.trim(), where).to.not.equal('');
                const line = formatProblem(problem);
                expect(line).to.match(new RegExp(`^${escape(problem.file)}:\\d+:\\d+[ :]`));
                expect(message).to.contain(`\n  ${line}`);
                // Nothing of JavaScript's own failures reaches an author.
                expect(problem.message).to.not.match(/is not a function|of undefined|of null|\[object /);
            }
        } finally {
            copy.write(file, original.get(file) as string);
        }
    };

    it('loads, or throws a KnowledgeError whose every problem names a file, line and column, after any damage', () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...yamlFiles),
                fc.array(mutation, { minLength: 1, maxLength: 3 }),
                (file, mutations) =>
                    loadsOrLocates(
                        file,
                        mutations.reduce((t, mutate) => mutate(t), original.get(file) as string),
                    ),
            ),
            { seed: 20_240_701, numRuns: 50 },
        );
    });

    it('loads, or locates every problem, whatever YAML construct (alias, tag, anchor, merge key) replaces a value', () => {
        fc.assert(
            fc.property(fc.constantFrom(...yamlFiles), fc.nat(), yamlConstructs, (file, i, value) =>
                loadsOrLocates(file, replaceValue(original.get(file) as string, i, value)),
            ),
            { seed: 20_240_703, numRuns: 25 },
        );
    });

    it('fills only the placeholders a text is given, whatever their names', () => {
        const key = fc.oneof(
            fc.constantFrom('council', 'phone', 'limit', 'constructor', 'toString', 'valueOf', '__proto__'),
            fc.stringMatching(/^\w{1,8}$/),
        );
        fc.assert(
            fc.property(key, fc.dictionary(key, fc.oneof(fc.string(), fc.integer())), (name, values) => {
                const given = Object.hasOwn(values, name);
                expect(fill(`[{${name}}]`, values)).to.equal(`[${given ? String(values[name]) : `{${name}}`}]`);
            }),
            { seed: 20_240_704, numRuns: 300 },
        );
    });

    it('expands any phrase template into phrases, or refuses it with a RangeError', () => {
        const name = fc.oneof(
            fc.constantFrom('partner', 'harm', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ' partner '),
            fc.string({ maxLength: 6 }),
        );
        const words = fc.dictionary(
            fc.constantFrom('partner', 'harm', 'x'),
            fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        );
        const template = fc
            .array(
                fc.oneof(
                    fc.string({ maxLength: 8 }),
                    name.map((n) => `{${n}}`),
                ),
                { maxLength: 6 },
            )
            .map((parts) => parts.join(''));
        fc.assert(
            fc.property(template, words, (text, lists) => {
                try {
                    for (const phrase of expandTemplate(text, lists)) {
                        expect(phrase).to.be.a('string').with.length.greaterThan(0);
                        expect(phrase).to.equal(phrase.trim());
                    }
                } catch (error) {
                    expect(error, String(error)).to.be.instanceOf(RangeError);
                }
            }),
            { seed: 20_240_702, numRuns: 500 },
        );
    });
});
