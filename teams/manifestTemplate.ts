import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../bot/config';

/** The shipped template: teams/manifest.template.json. */
export const manifestTemplateFile = path.join(projectRoot, 'teams', 'manifest.template.json');

/** What the template's `{name}` placeholders are filled with. */
export interface ManifestValues {
    /** The council's full name (council.yaml `name`). */
    readonly council: string;
    /** The council's short name (council.yaml `shortName`, or `name` when it has none). */
    readonly shortName: string;
    /** The council's website (council.yaml `website`). */
    readonly website: string;
    /** The app's version (package.json `version`). */
    readonly version: string;
    /** The Teams app's own id. */
    readonly teamsAppId: string;
    /** The bot's Microsoft App ID. */
    readonly botId: string;
    /** The host residents and Teams reach the bot at (from PUBLIC_URL), e.g. assistant.anytown.gov.uk. */
    readonly publicHost: string;
}

/** The template cannot be used; the message names the file and the field. */
export class ManifestTemplateError extends Error {
    readonly code = 'TEAMS_TEMPLATE_INVALID';
    constructor(message: string) {
        super(message);
        this.name = 'ManifestTemplateError';
    }
}

/** Reads a manifest template: JSON whose string values may hold placeholders such as `{council}`. */
export function loadManifestTemplate(file: string = manifestTemplateFile): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
        const shown = path.relative(process.cwd(), file) || file;
        throw new ManifestTemplateError(`${shown}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

/**
 * Fills every `{name}` placeholder in the template's strings. Placeholders are replaced after parsing, inside
 * string values, so a council name with quotes or backslashes cannot break the JSON. An unknown placeholder is
 * an error naming the field, not text left for a resident or a reviewer to find.
 */
export function fillManifestTemplate(template: unknown, values: ManifestValues, file = manifestTemplateFile): unknown {
    const known = values as unknown as Readonly<Record<string, string>>;
    const fill = (value: unknown, at: string): unknown => {
        if (typeof value === 'string') {
            return value.replace(/\{([A-Za-z]+)\}/g, (placeholder: string, name: string) => {
                const replacement = Object.hasOwn(known, name) ? known[name] : undefined;
                if (replacement === undefined) {
                    const shown = path.relative(process.cwd(), file) || file;
                    throw new ManifestTemplateError(
                        `${shown} ${at || '(top level)'}: unknown placeholder ${placeholder} ` +
                            `(expected one of ${Object.keys(values)
                                .map((k) => `{${k}}`)
                                .join(', ')})`,
                    );
                }
                return replacement;
            });
        }
        if (Array.isArray(value)) return value.map((item, i) => fill(item, `${at}[${i}]`));
        if (value !== null && typeof value === 'object') {
            return Object.fromEntries(
                Object.entries(value).map(([key, item]) => [key, fill(item, at ? `${at}.${key}` : key)]),
            );
        }
        return value;
    };
    return fill(template, '');
}
