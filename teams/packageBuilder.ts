import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Council } from '../knowledge/schema';
import { drawColorIcon, drawOutlineIcon } from './icons';
import {
    fillManifestTemplate,
    loadManifestTemplate,
    ManifestTemplateError,
    manifestTemplateFile,
} from './manifestTemplate';
import { encodePng } from './png';
import { writeZip } from './zipArchive';

/** What a Teams app package is built from. */
export interface TeamsPackageInput {
    /** The council, from its knowledge folder's council.yaml. */
    readonly council: Pick<Council, 'name' | 'shortName' | 'website'>;
    /** The bot's Microsoft App ID (MicrosoftAppId). */
    readonly botId: string;
    /** The https:// address Teams reaches the bot at (PUBLIC_URL); its host becomes the valid domain. */
    readonly publicUrl: string;
    /** A Teams app id to use instead of the one derived from the bot's (TEAMS_APP_ID). */
    readonly teamsAppId?: string;
    /** The app's version, MAJOR.MINOR.PATCH (package.json). */
    readonly version: string;
    /** The manifest template; teams/manifest.template.json by default. */
    readonly templateFile?: string;
}

/** A built package: the zip's bytes and the manifest inside it. */
export interface TeamsPackage {
    readonly zip: Buffer;
    readonly manifest: Readonly<Record<string, unknown>>;
    readonly teamsAppId: string;
}

// The namespace of this project's name-based Teams app ids (UUID version 5). Fixed for good: changing it would
// give every council's bot a new Teams app id, so Teams would treat the next upload as a different app.
const teamsAppIdNamespace = '856473b7-133c-420f-94b2-fd624e6c2944';

/**
 * The Teams app id for a bot: a name-based UUID (version 5, RFC 9562) of the bot's app id, so rebuilding the
 * package for the same bot always gives the same Teams app (an upload updates it rather than adding another).
 */
export function teamsAppIdFor(botId: string): string {
    const hash = createHash('sha1')
        .update(Buffer.from(teamsAppIdNamespace.replace(/-/g, ''), 'hex'))
        .update(botId.trim().toLowerCase(), 'utf8')
        .digest();
    hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
    hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 9562 variant
    const hex = hash.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Builds the package Teams takes: manifest.json, color.png and outline.png at the root of a zip. */
export function buildTeamsPackage(input: TeamsPackageInput): TeamsPackage {
    const templateFile = input.templateFile ?? manifestTemplateFile;
    const teamsAppId = input.teamsAppId ?? teamsAppIdFor(input.botId);
    const manifest = fillManifestTemplate(
        loadManifestTemplate(templateFile),
        {
            council: input.council.name,
            shortName: input.council.shortName ?? input.council.name,
            website: input.council.website,
            version: input.version,
            teamsAppId,
            botId: input.botId,
            publicHost: new URL(input.publicUrl).host,
        },
        templateFile,
    ) as Record<string, unknown>;

    const icons = (manifest.icons ?? {}) as Record<string, unknown>;
    const colorFile = icons.color;
    const outlineFile = icons.outline;
    const shown = path.relative(process.cwd(), templateFile) || templateFile;
    if (typeof colorFile !== 'string' || typeof outlineFile !== 'string') {
        throw new ManifestTemplateError(`${shown} icons: expected the file names of the color and outline icons`);
    }
    let color: Buffer;
    try {
        // The colour icon's background is the accent colour, so Teams' tile and the icon always match.
        color = encodePng(drawColorIcon(String(manifest.accentColor)));
    } catch (error) {
        throw new ManifestTemplateError(`${shown} accentColor: ${(error as Error).message}`);
    }
    const zip = writeZip([
        { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 4)}\n`, 'utf8') },
        { name: colorFile, data: color },
        { name: outlineFile, data: encodePng(drawOutlineIcon()) },
    ]);
    return { zip, manifest, teamsAppId };
}
