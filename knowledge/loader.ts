import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document } from 'yaml';
import type { z } from 'zod';
import { KnowledgeError, type KnowledgeProblem } from './errors';
import { logoFileProblem } from './logo';
import { isStopWord, normaliseWords } from './normaliser';
import {
    conversationSchema,
    councilSchema,
    safetySchema,
    serviceFileSchema,
    serviceSchema,
    siteFileSchema,
    siteSchema,
    vocabularySchema,
    type ConversationText,
    type Council,
    type SafetyRuleDefinition,
    type Service,
    type SiteDefinition,
} from './schema';
import { expandTemplate, type WordLists } from './phraseTemplates';
import type { Site } from './sites';
import { allVersions } from './localise';
import { stem } from './stemmer';

/** A service with the file it came from (shown by staff diagnostics). */
export type KnowledgeService = Service & { readonly file: string };

/** A validated knowledge folder. */
export interface Knowledge {
    readonly dir: string;
    readonly council: Council;
    readonly services: readonly KnowledgeService[];
    readonly safetyRules: readonly SafetyRuleDefinition[];
    readonly conversation: ConversationText;
    /** The partner sites that embed the assistant (sites.yaml); empty when there is no such file. */
    readonly sites: readonly Site[];
    /** The council's own words (vocabulary.yaml): a word the services use → the words residents use for it. */
    readonly synonyms: Readonly<Record<string, readonly string[]>>;
}

type Path = ReadonlyArray<string | number>;

/** A parsed YAML file that can say where a field is. */
class SourceFile {
    private constructor(
        readonly file: string,
        readonly doc: Document.Parsed,
        private readonly lines: LineCounter,
        /** The document as plain data. */
        readonly value: unknown,
    ) {}

    static read(absolute: string, problems: KnowledgeProblem[]): SourceFile | undefined {
        const file = path.relative(process.cwd(), absolute) || absolute;
        const lines = new LineCounter();
        const doc = parseDocument(fs.readFileSync(absolute, 'utf8'), { lineCounter: lines, prettyErrors: false });
        const problem = (offset: number, message: string) => {
            const { line, col } = lines.linePos(offset);
            problems.push({ file, line, column: col, field: '', message: `not valid YAML: ${message}` });
        };
        for (const error of doc.errors) problem(error.pos[0], error.message);
        if (doc.errors.length > 0) return undefined;
        // Aliases are resolved only here: one with no anchor before it (or too many) throws, without a position.
        try {
            return new SourceFile(file, doc, lines, doc.toJS());
        } catch (error) {
            problem(aliasOffset(doc), (error as Error).message);
            return undefined;
        }
    }

    problem(fieldPath: Path, message: string): KnowledgeProblem {
        const { line, col } = this.lines.linePos(this.offsetOf(fieldPath));
        return { file: this.file, line, column: col, field: formatPath(fieldPath), message };
    }

    /** `file:line:column field` of a field, for naming the other place in a "duplicate" problem. */
    where(fieldPath: Path): string {
        const { line, column, field } = this.problem(fieldPath, '');
        return `${this.file}:${line}:${column}${field ? ` ${field}` : ''}`;
    }

    /** Parses the file (or the value at `base`) with a schema, recording every issue with its position. */
    parse<S extends z.ZodType>(
        schema: S,
        problems: KnowledgeProblem[],
        base: Path = [],
        value: unknown = this.value ?? {},
    ): z.output<S> | undefined {
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        for (const issue of result.error.issues) {
            const at = [...base, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
            if (issue.code === 'unrecognized_keys') {
                for (const key of issue.keys) {
                    problems.push(this.problem([...at, key], `unknown field "${key}" (check the spelling)`));
                }
            } else {
                const message = issue.message.replace(/^Invalid input: /, '');
                const missing = /, received undefined$/.test(message);
                problems.push(
                    this.problem(at, missing ? `missing: ${message.replace(/, received undefined$/, '')}` : message),
                );
            }
        }
        return undefined;
    }

    /** The offset of the deepest node on the path that exists (a missing field points at its parent). */
    private offsetOf(fieldPath: Path): number {
        let node: unknown = this.doc.contents;
        let offset = rangeStart(node) ?? 0;
        for (const segment of fieldPath) {
            if (isMap(node)) {
                const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
                if (!pair) break;
                offset = rangeStart(pair.key) ?? offset;
                node = pair.value;
            } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
                node = node.items[segment];
                offset = rangeStart(node) ?? offset;
            } else {
                break;
            }
        }
        return offset;
    }
}

/** Where the first alias with no anchor before it is, else the first alias; 0 when there is none. */
function aliasOffset(doc: Document.Parsed): number {
    const aliases: Alias[] = [];
    visit(doc, { Alias: (_key, node) => void aliases.push(node) });
    const alias = aliases.find((a) => a.resolve(doc) === undefined) ?? aliases[0];
    return rangeStart(alias) ?? 0;
}

function rangeStart(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range?.[0];
}

function formatPath(fieldPath: Path): string {
    return fieldPath.reduce<string>(
        (text, segment) =>
            typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment,
        '',
    );
}

/** The words of a phrase as matching sees them, in a stable order: two phrases with the same key compete. */
export function phraseKey(phrase: string): string {
    const terms = normaliseWords(phrase)
        .filter((w) => !isStopWord(w))
        .map(stem);
    return [...new Set(terms)].sort().join(' ');
}

/**
 * Loads and validates a knowledge folder: `council.yaml` (with the logo it names), `services/*.yaml`,
 * `safety.yaml`, `conversation.yaml` and, when present, `sites.yaml`. Throws a `KnowledgeError` listing every
 * problem with its file, line, column and field.
 */
export function loadKnowledge(dir: string): Knowledge {
    const root = path.resolve(dir);
    const problems: KnowledgeProblem[] = [];
    const shown = path.relative(process.cwd(), root) || '.';
    const missing = (name: string, what: string): KnowledgeProblem => ({
        file: path.join(shown, name),
        line: 1,
        column: 1,
        field: '',
        message: `missing: expected ${what}`,
    });

    const readOne = <S extends z.ZodType>(name: string, schema: S, what: string) => {
        const absolute = path.join(root, name);
        if (!fs.existsSync(absolute)) {
            problems.push(missing(name, what));
            return undefined;
        }
        const source = SourceFile.read(absolute, problems);
        const data = source?.parse(schema, problems);
        return source && data !== undefined ? { source, data } : undefined;
    };

    const council = readOne('council.yaml', councilSchema, "the council's name, contacts, opening hours and teams");
    const safety = readOne('safety.yaml', safetySchema, 'the safety rules and their signposting text');
    const conversation = readOne('conversation.yaml', conversationSchema, "the assistant's own words");

    const serviceDir = path.join(root, 'services');
    const serviceFiles = fs.existsSync(serviceDir)
        ? fs
              .readdirSync(serviceDir)
              .filter((f) => /\.ya?ml$/.test(f))
              .sort()
        : [];
    if (serviceFiles.length === 0) problems.push(missing('services', 'a services folder with at least one .yaml file'));

    // Each service is validated on its own, so one mistake does not hide the rest of its file from the
    // cross-reference checks (which would then report false "unknown service id" problems elsewhere).
    const services: { service: Service; index: number; source: SourceFile }[] = [];
    const declaredIds = new Set<string>();
    for (const name of serviceFiles) {
        const source = SourceFile.read(path.join(serviceDir, name), problems);
        const file = source?.parse(serviceFileSchema, problems);
        file?.services.forEach((raw, index) => {
            const id = (raw as { id?: unknown } | null)?.id;
            if (typeof id === 'string') declaredIds.add(id);
            const service = source?.parse(serviceSchema, problems, ['services', index], raw);
            if (source && service) services.push({ service, index, source });
        });
    }

    // Like services, each site is validated on its own, so one mistake does not hide the others' checks.
    const sites: LocatedSite[] = [];
    if (fs.existsSync(path.join(root, 'sites.yaml'))) {
        const source = SourceFile.read(path.join(root, 'sites.yaml'), problems);
        source?.parse(siteFileSchema, problems)?.sites.forEach((raw, index) => {
            const site = source.parse(siteSchema, problems, ['sites', index], raw);
            if (site) sites.push({ site, index, source });
        });
    }

    const vocabulary = fs.existsSync(path.join(root, 'vocabulary.yaml'))
        ? readOne('vocabulary.yaml', vocabularySchema, "the council's own words")
        : undefined;
    if (vocabulary) checkSynonyms(vocabulary.source, vocabulary.data.synonyms, services, problems);

    checkServices(services, declaredIds, problems);
    if (council) checkCouncilReferences(council, services, declaredIds, problems);
    const logo = council && resolveLogo(root, council.source, council.data.branding.logo, problems);
    checkSites(sites, declaredIds, problems);
    const safetyRules = safety && expandSafetyRules(safety.source, safety.data, problems);
    const commands = conversation && expandCommands(conversation.source, conversation.data, problems);

    if (problems.length > 0 || !council || !logo || !safetyRules || !conversation || !commands) {
        throw new KnowledgeError(problems);
    }
    const { branding } = council.data;
    return {
        dir: root,
        council: { ...council.data, branding: { ...branding, logo } },
        services: services.map(({ service, source }) => ({ ...service, file: source.file })),
        safetyRules,
        conversation: { ...conversation.data, commands },
        sites: sites.map(({ site }) => ({ ...site, launcherLabel: site.launcherLabel ?? branding.assistantName })),
        synonyms: vocabulary?.data.synonyms ?? {},
    };
}

/**
 * Each synonym leads to a word the services' phrases or titles use (otherwise it could never match anything), and
 * a resident's word is listed once (one word cannot mean two things).
 */
function checkSynonyms(
    source: SourceFile,
    synonyms: Readonly<Record<string, readonly string[]>>,
    services: readonly Located[],
    problems: KnowledgeProblem[],
): void {
    const used = new Set(
        services.flatMap(({ service }) =>
            [...service.phrases, ...allVersions(service.title)].flatMap((text) => normaliseWords(text)),
        ),
    );
    const firstPlace = new Map<string, Path>();
    for (const [word, residents] of Object.entries(synonyms)) {
        if (!used.has(word)) {
            problems.push(
                source.problem(['synonyms', word], `"${word}" is not a word of any service's phrases or titles`),
            );
        }
        residents.forEach((resident, index) => {
            const at = ['synonyms', word, index];
            const first = firstPlace.get(resident);
            if (first) {
                problems.push(source.problem(at, `"${resident}" is listed twice (also at ${source.where(first)})`));
            } else if (used.has(resident)) {
                problems.push(
                    source.problem(at, `"${resident}" is already a word of the services, so it keeps its own meaning`),
                );
            }
            firstPlace.set(resident, first ?? at);
        });
    }
}

type Located = { service: Service; index: number; source: SourceFile };

/** Duplicate ids, unknown related ids and phrases claimed twice. */
function checkServices(
    services: readonly Located[],
    declaredIds: ReadonlySet<string>,
    problems: KnowledgeProblem[],
): void {
    const firstById = new Map<string, { source: SourceFile; index: number }>();
    for (const { service, index, source } of services) {
        const first = firstById.get(service.id);
        if (first) {
            const where = `${first.source.file}:services[${first.index}]`;
            problems.push(source.problem(['services', index, 'id'], `duplicate id "${service.id}" (also at ${where})`));
        } else {
            firstById.set(service.id, { source, index });
        }
    }

    const phraseOwners = new Map<string, { id: string; phrase: string }>();
    for (const { service, index, source } of services) {
        service.related.forEach((related, i) => {
            if (!declaredIds.has(related)) {
                problems.push(source.problem(['services', index, 'related', i], `unknown service id "${related}"`));
            } else if (related === service.id) {
                problems.push(
                    source.problem(['services', index, 'related', i], 'a service cannot be related to itself'),
                );
            }
        });
        service.phrases.forEach((phrase, i) => {
            const key = phraseKey(phrase);
            const owner = phraseOwners.get(key);
            if (owner && owner.id !== service.id) {
                problems.push(
                    source.problem(
                        ['services', index, 'phrases', i],
                        `phrase "${phrase}" is also claimed by service "${owner.id}" ("${owner.phrase}"); keep it in one service`,
                    ),
                );
            } else if (!owner && key) {
                phraseOwners.set(key, { id: service.id, phrase });
            }
        });
    }
}

/** Handoff teams and top tasks refer to what council.yaml and the services define. */
function checkCouncilReferences(
    council: { source: SourceFile; data: Council },
    services: readonly Located[],
    serviceIds: ReadonlySet<string>,
    problems: KnowledgeProblem[],
): void {
    const teams = new Set(council.data.teams.map((t) => t.id));
    for (const { service, index, source } of services) {
        if (service.handoff && !teams.has(service.handoff.team)) {
            problems.push(
                source.problem(
                    ['services', index, 'handoff', 'team'],
                    `unknown team "${service.handoff.team}" (expected one of the teams in council.yaml: ${[...teams].join(', ')})`,
                ),
            );
        }
    }
    if (!teams.has(council.data.defaultTeam)) {
        problems.push(council.source.problem(['defaultTeam'], `unknown team "${council.data.defaultTeam}"`));
    }
    council.data.topTasks.forEach((id, i) => {
        if (!serviceIds.has(id)) problems.push(council.source.problem(['topTasks', i], `unknown service id "${id}"`));
    });
}

/**
 * The logo's absolute path, once it is known to be an image inside the knowledge folder: the web pages serve
 * it, so a path that leaves the folder would publish whatever file it names.
 */
function resolveLogo(root: string, source: SourceFile, logo: string, problems: KnowledgeProblem[]): string | undefined {
    const absolute = path.resolve(root, logo);
    const inside = path.relative(root, absolute);
    const problem =
        inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)
            ? `expected a file inside the knowledge folder, but "${logo}" is outside it`
            : logoFileProblem(absolute);
    if (!problem) return absolute;
    problems.push(source.problem(['branding', 'logo'], problem));
    return undefined;
}

type LocatedSite = { site: SiteDefinition; index: number; source: SourceFile };

/** Duplicate site ids, an origin claimed by two sites (or listed twice) and unknown featured services. */
function checkSites(
    sites: readonly LocatedSite[],
    serviceIds: ReadonlySet<string>,
    problems: KnowledgeProblem[],
): void {
    const firstById = new Map<string, Path>();
    const firstByOrigin = new Map<string, { path: Path; index: number; id: string }>();
    for (const { site, index, source } of sites) {
        const first = firstById.get(site.id);
        if (first) {
            problems.push(
                source.problem(['sites', index, 'id'], `duplicate id "${site.id}" (also at ${source.where(first)})`),
            );
        } else {
            firstById.set(site.id, ['sites', index, 'id']);
        }

        site.allowedOrigins.forEach((origin, i) => {
            const at = ['sites', index, 'allowedOrigins', i];
            const owner = firstByOrigin.get(origin);
            if (!owner) {
                firstByOrigin.set(origin, { path: at, index, id: site.id });
            } else if (owner.index === index) {
                problems.push(
                    source.problem(at, `origin "${origin}" is listed twice (also at ${source.where(owner.path)})`),
                );
            } else {
                problems.push(
                    source.problem(
                        at,
                        `origin "${origin}" is already allowed for site "${owner.id}" ` +
                            `(at ${source.where(owner.path)}); an origin can belong to only one site`,
                    ),
                );
            }
        });

        const featured = new Set<string>();
        site.featuredServices.forEach((id, i) => {
            const at = ['sites', index, 'featuredServices', i];
            if (!serviceIds.has(id)) problems.push(source.problem(at, `unknown service id "${id}"`));
            else if (featured.has(id)) problems.push(source.problem(at, `service "${id}" is listed twice`));
            featured.add(id);
        });
    }
}

/** Expands `{list}` slots in a list of phrases, reporting an unknown list at the phrase that uses it. */
function expandPhrases(
    source: SourceFile,
    at: Path,
    templates: readonly string[],
    words: WordLists,
    problems: KnowledgeProblem[],
): { phrase: string; template: number }[] {
    return templates.flatMap((template, i) => {
        try {
            return expandTemplate(template, words).map((phrase) => ({ phrase, template: i }));
        } catch (error) {
            problems.push(source.problem([...at, i], (error as Error).message));
            return [];
        }
    });
}

/** Safety rules with their phrase templates expanded; duplicate ids and phrases in two rules are reported. */
function expandSafetyRules(
    source: SourceFile,
    safety: z.output<typeof safetySchema>,
    problems: KnowledgeProblem[],
): SafetyRuleDefinition[] {
    const ids = new Set<string>();
    const owners = new Map<string, string>();
    return safety.rules.map((rule, index) => {
        if (ids.has(rule.id)) problems.push(source.problem(['rules', index, 'id'], `duplicate rule id "${rule.id}"`));
        ids.add(rule.id);
        const expanded = expandPhrases(source, ['rules', index, 'phrases'], rule.phrases, safety.words, problems);
        for (const { phrase, template } of expanded) {
            const key = normaliseWords(phrase).map(stem).join(' ');
            const owner = owners.get(key);
            if (owner && owner !== rule.id) {
                problems.push(
                    source.problem(
                        ['rules', index, 'phrases', template],
                        `phrase "${phrase}" is also in rule "${owner}"`,
                    ),
                );
            }
            owners.set(key, owner ?? rule.id);
        }
        return { ...rule, phrases: [...new Set(expanded.map((e) => e.phrase))] };
    });
}

/** The command phrases with their templates expanded. */
function expandCommands(
    source: SourceFile,
    conversation: ConversationText,
    problems: KnowledgeProblem[],
): ConversationText['commands'] {
    const expand = (name: keyof ConversationText['commands']) => [
        ...new Set(
            expandPhrases(source, ['commands', name], conversation.commands[name], conversation.words, problems).map(
                (e) => e.phrase,
            ),
        ),
    ];
    return {
        help: expand('help'),
        startAgain: expand('startAgain'),
        cancel: expand('cancel'),
        goodbye: expand('goodbye'),
        person: expand('person'),
        greeting: expand('greeting'),
        thanks: expand('thanks'),
    };
}
