import fs from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { iconSizes as teamsIconSizes } from './icons';
import { decodePng, PngError, pngSize } from './png';
import { readZip, ZipError } from './zipArchive';

/** One reason Teams would refuse a package, located for the person fixing it. */
export interface TeamsPackageProblem {
    /** The file in the package (`manifest.json`, `outline.png`), or empty for the package as a whole. */
    readonly file: string;
    /** The manifest field, e.g. `bots[0].botId`; empty when the problem is the whole file. */
    readonly field: string;
    readonly message: string;
}

/** What was checked and what is wrong; an empty `problems` means Teams should accept it. */
export interface TeamsPackageReport {
    /** The manifest's `manifestVersion`, when it has one. */
    readonly manifestVersion: string | undefined;
    /** Where the schema came from, e.g. `@microsoft/app-manifest 1.1.2`. */
    readonly schemaSource: string;
    readonly problems: readonly TeamsPackageProblem[];
}

/** Formats a problem as `file field: message`. */
export function formatPackageProblem(p: TeamsPackageProblem): string {
    const where = [p.file, p.field].filter(Boolean).join(' ');
    return `${where || 'package'}: ${p.message}`;
}

/** The address Microsoft publishes a manifest version's schema at, which a manifest's `$schema` names. */
export function officialSchemaUrl(manifestVersion: string): string {
    const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
    return `https://developer.microsoft.com/json-schemas/teams/${folder}/MicrosoftTeams.schema.json`;
}

// The Microsoft 365 Agents Toolkit's own package ships every published schema, so validation needs no network.
const schemaPackage = '@microsoft/app-manifest';
// The sizes Teams requires of each icon the manifest can name.
const iconSizes: Readonly<Record<string, number>> = {
    color: teamsIconSizes.color,
    outline: teamsIconSizes.outline,
    color32x32: 32,
};

// Teams (the Developer Portal and app upload) insists on plain MAJOR.MINOR.PATCH numbers, which the schema
// only describes in words.
const teamsVersion = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
// A valid domain is a host name, optionally with a leading wildcard label or a port: no scheme, no path.
const domain = /^(\*\.)?([a-z0-9](-*[a-z0-9])*\.)+[a-z0-9](-*[a-z0-9])*(:\d{1,5})?$/i;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
    value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Checks Teams app packages offline: the manifest against Microsoft's JSON schema for its `manifestVersion`
 * (from `@microsoft/app-manifest`), then the rules Teams enforces that the schema does not (version format,
 * HTTPS developer links, host-only valid domains, files at the root, icon sizes, a white-on-transparent outline).
 */
export class TeamsPackageValidator {
    readonly schemaSource: string;
    private readonly schemaFolder: string;
    private readonly compiled = new Map<string, ValidateFunction>();

    constructor() {
        let packageFile: string;
        try {
            packageFile = require.resolve(`${schemaPackage}/package.json`);
        } catch {
            throw new Error(`${schemaPackage} is not installed: run npm install (it holds the Teams manifest schemas)`);
        }
        const { version } = JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { version: string };
        this.schemaSource = `${schemaPackage} ${version}`;
        this.schemaFolder = path.join(path.dirname(packageFile), 'build', 'json-schemas', 'teams');
    }

    /** The manifest versions whose schemas are available, oldest first (`devPreview` last). */
    availableVersions(): string[] {
        return fs
            .readdirSync(this.schemaFolder)
            .filter((name) => fs.existsSync(path.join(this.schemaFolder, name, 'MicrosoftTeams.schema.json')))
            .map((name) => (name === 'vDevPreview' ? 'devPreview' : name.replace(/^v/, '')))
            .sort((a, b) => (a === 'devPreview' ? 1 : b === 'devPreview' ? -1 : compareVersions(a, b)));
    }

    /** Validates a whole package: the zip's layout, its manifest and its icons. */
    validatePackage(zip: Uint8Array): TeamsPackageReport {
        const problems: TeamsPackageProblem[] = [];
        const report = (manifestVersion?: string) => ({
            manifestVersion,
            schemaSource: this.schemaSource,
            problems,
        });
        let entries;
        try {
            entries = readZip(zip);
        } catch (error) {
            if (!(error instanceof ZipError)) throw error;
            problems.push({ file: '', field: '', message: error.message });
            return report();
        }
        const files = new Map<string, Buffer>();
        for (const { name, data } of entries) {
            if (name.includes('/') || name.includes('\\')) {
                problems.push({ file: name, field: '', message: 'Teams reads files only at the root of the zip' });
            } else if (files.has(name)) {
                problems.push({ file: name, field: '', message: 'appears twice in the zip' });
            } else {
                files.set(name, data);
            }
        }
        const manifestFile = files.get('manifest.json');
        if (!manifestFile) {
            problems.push({ file: 'manifest.json', field: '', message: 'missing: it must be at the root of the zip' });
            return report();
        }
        let manifest: unknown;
        try {
            manifest = JSON.parse(manifestFile.toString('utf8'));
        } catch (error) {
            problems.push({ file: 'manifest.json', field: '', message: `not valid JSON: ${(error as Error).message}` });
            return report();
        }
        const manifestReport = this.validateManifest(manifest);
        problems.push(...manifestReport.problems);

        const referenced = new Set(['manifest.json']);
        const icons = isObject(manifest) && isObject(manifest.icons) ? manifest.icons : {};
        for (const [kind, size] of Object.entries(iconSizes)) {
            const name = icons[kind];
            if (typeof name !== 'string') continue;
            referenced.add(name);
            const png = files.get(name);
            if (!png) {
                problems.push({ file: 'manifest.json', field: `icons.${kind}`, message: `${name} is not in the zip` });
            } else {
                problems.push(...checkIcon(name, png, size, kind === 'outline'));
            }
        }
        const localization = isObject(manifest) && isObject(manifest.localizationInfo) ? manifest.localizationInfo : {};
        for (const language of Array.isArray(localization.additionalLanguages)
            ? localization.additionalLanguages
            : []) {
            if (isObject(language) && typeof language.file === 'string') referenced.add(language.file);
        }
        for (const name of files.keys()) {
            if (!referenced.has(name)) {
                problems.push({
                    file: name,
                    field: '',
                    message: 'not named by the manifest: the zip holds only manifest.json and the files it names',
                });
            }
        }
        return report(manifestReport.manifestVersion);
    }

    /** Validates a manifest against the schema for its `manifestVersion` and the rules Teams adds. */
    validateManifest(manifest: unknown): TeamsPackageReport {
        const problems: TeamsPackageProblem[] = [];
        const at = (field: string, message: string) => problems.push({ file: 'manifest.json', field, message });
        const manifestVersion =
            isObject(manifest) && typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : undefined;
        const report = { manifestVersion, schemaSource: this.schemaSource, problems };
        if (!isObject(manifest)) {
            at('', 'expected a JSON object');
            return report;
        }
        if (manifestVersion === undefined) {
            at('manifestVersion', 'missing: expected the schema version, e.g. "1.30"');
            return report;
        }
        const validate = this.schemaFor(manifestVersion);
        if (!validate) {
            at(
                'manifestVersion',
                `no schema for "${manifestVersion}" in ${this.schemaSource} ` +
                    `(it has ${this.availableVersions().join(', ')})`,
            );
            return report;
        }
        if (!validate(manifest)) {
            const seen = new Set<string>();
            for (const error of validate.errors ?? []) {
                const { field, message } = describeSchemaError(error);
                if (seen.has(`${field}\n${message}`)) continue;
                seen.add(`${field}\n${message}`);
                at(field, message);
            }
        }

        const expectedSchema = officialSchemaUrl(manifestVersion);
        if (
            manifest.$schema !== undefined &&
            String(manifest.$schema).replace('developer.microsoft.com/en-us/', 'developer.microsoft.com/') !==
                expectedSchema
        ) {
            at('$schema', `expected ${expectedSchema} for manifestVersion "${manifestVersion}"`);
        }
        if (typeof manifest.version === 'string' && !teamsVersion.test(manifest.version)) {
            at(
                'version',
                `"${manifest.version}" is not a version Teams accepts: expected MAJOR.MINOR.PATCH, e.g. 1.0.0`,
            );
        }
        if (isObject(manifest.developer)) {
            for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
                const url = manifest.developer[key];
                if (typeof url === 'string' && !/^https:\/\//i.test(url)) {
                    at(`developer.${key}`, `"${url}" must be an https:// address`);
                }
            }
        }
        if (Array.isArray(manifest.validDomains)) {
            manifest.validDomains.forEach((value, i) => {
                if (typeof value === 'string' && !domain.test(value)) {
                    at(
                        `validDomains[${i}]`,
                        `"${value}" is not a host name: give it without https:// or a path, e.g. assistant.anytown.gov.uk`,
                    );
                }
            });
        }
        return report;
    }

    private schemaFor(manifestVersion: string): ValidateFunction | undefined {
        const cached = this.compiled.get(manifestVersion);
        if (cached) return cached;
        if (!/^(\d+\.\d+|devPreview)$/.test(manifestVersion)) return undefined;
        const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
        const file = path.join(this.schemaFolder, folder, 'MicrosoftTeams.schema.json');
        if (!fs.existsSync(file)) return undefined;
        // The same settings as the Agents Toolkit's own validation: Microsoft's schemas are draft-04 and not
        // written for Ajv's strict type checks.
        const ajv = new Ajv04({ allErrors: true, strictTypes: false });
        addFormats(ajv, ['uri', 'email', 'regex']);
        const validate = ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
        this.compiled.set(manifestVersion, validate);
        return validate;
    }
}

/** Turns one Ajv error into the field it concerns (`bots[0].scopes[1]`) and a message for a person. */
function describeSchemaError(error: ErrorObject): { field: string; message: string } {
    const segments = error.instancePath
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const params = error.params as Record<string, unknown>;
    let message = error.message ?? error.keyword;
    if (error.keyword === 'required') {
        segments.push(String(params.missingProperty));
        message = 'missing (the schema requires it)';
    } else if (error.keyword === 'additionalProperties') {
        segments.push(String(params.additionalProperty));
        message = 'unknown field: the schema does not allow it (check the spelling)';
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
        message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (error.keyword === 'const') {
        message = `must be ${JSON.stringify(params.allowedValue)}`;
    }
    const field = segments.reduce<string>(
        (text, s) => (/^\d+$/.test(s) ? `${text}[${s}]` : text ? `${text}.${s}` : s),
        '',
    );
    return { field, message };
}

/** Checks an icon's size, and that an outline icon has only white or fully transparent pixels. */
function checkIcon(name: string, png: Buffer, size: number, outline: boolean): TeamsPackageProblem[] {
    const problem = (message: string) => [{ file: name, field: '', message }];
    let image;
    try {
        const { width, height } = pngSize(png);
        if (width !== size || height !== size) {
            return problem(`is ${width}×${height}; Teams requires ${size}×${size}`);
        }
        if (!outline) return [];
        image = decodePng(png);
    } catch (error) {
        if (error instanceof PngError) return problem(error.message);
        throw error;
    }
    let coloured = 0;
    let first = '';
    for (let i = 0; i < image.width * image.height; i++) {
        const [r, g, b, a] = image.pixels.subarray(i * 4, i * 4 + 4);
        if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
            coloured++;
            if (!first) {
                const hex = [r, g, b].map((c) => c!.toString(16).padStart(2, '0')).join('');
                first = ` (the first at x ${i % image.width}, y ${Math.floor(i / image.width)} is #${hex})`;
            }
        }
    }
    return coloured === 0
        ? []
        : problem(
              `has ${coloured} pixel${coloured === 1 ? '' : 's'} that are neither white nor fully transparent${first}: ` +
                  'the outline icon must be white on a transparent background',
          );
}

function compareVersions(a: string, b: string): number {
    const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
    const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
    return aMajor - bMajor || aMinor - bMinor;
}
