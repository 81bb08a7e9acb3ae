/**
 * Builds the Microsoft Teams app package council staff upload to try the assistant in Teams, and checks it
 * offline against Microsoft's manifest schema and the rules Teams adds:
 *   npm run teams:package [-- --out FILE]
 * It needs MicrosoftAppId (the bot) and PUBLIC_URL (where Teams reaches it); TEAMS_APP_ID and KNOWLEDGE_DIR are
 * optional. The package is written only when it is valid.
 */
import 'dotenv/config';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, projectRoot } from '../bot/config';
import { KnowledgeError } from '../knowledge/errors';
import { loadKnowledge } from '../knowledge/loader';
import { ManifestTemplateError } from '../teams/manifestTemplate';
import { buildTeamsPackage } from '../teams/packageBuilder';
import { formatPackageProblem, officialSchemaUrl, TeamsPackageValidator } from '../teams/packageValidator';

const usage = 'Usage: npm run teams:package [-- --out FILE]';
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class UsageError extends Error {}

interface Settings {
    readonly botId: string;
    readonly publicUrl: string;
    readonly teamsAppId: string | undefined;
    readonly knowledgeDir: string;
}

/**
 * Reads the settings the package needs. Not `loadConfig`: that one insists on MicrosoftAppPassword whenever
 * MicrosoftAppId is set, which a running bot needs but a manifest must never contain or depend on. Empty values
 * mean "not set", as in the app.
 */
function readSettings(env: NodeJS.ProcessEnv): Settings {
    const value = (name: string) => env[name]?.trim() || undefined;
    const problems: string[] = [];
    const botId = value('MicrosoftAppId');
    if (!botId) {
        problems.push(
            "MicrosoftAppId: required to build the Teams package (the bot's Microsoft App ID from Azure Bot Service)",
        );
    } else if (!guid.test(botId)) {
        problems.push('MicrosoftAppId: expected a GUID such as 00000000-0000-0000-0000-000000000000');
    }
    const publicUrl = value('PUBLIC_URL');
    if (!publicUrl) {
        problems.push(
            'PUBLIC_URL: required to build the Teams package (the https:// address Teams reaches the assistant at, ' +
                'e.g. https://assistant.anytown.gov.uk)',
        );
    } else if (!URL.canParse(publicUrl) || new URL(publicUrl).protocol !== 'https:') {
        problems.push('PUBLIC_URL: expected an https:// address, e.g. https://assistant.anytown.gov.uk');
    }
    const teamsAppId = value('TEAMS_APP_ID');
    if (teamsAppId && !guid.test(teamsAppId)) {
        problems.push('TEAMS_APP_ID: expected a GUID such as 00000000-0000-0000-0000-000000000000, or leave it empty');
    }
    if (problems.length > 0 || !botId || !publicUrl) {
        throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    return {
        botId,
        publicUrl,
        teamsAppId,
        knowledgeDir: path.resolve(value('KNOWLEDGE_DIR') ?? path.join(projectRoot, 'knowledge', 'sample')),
    };
}

function main(): number {
    let values;
    try {
        ({ values } = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string' } } }));
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${usage}`);
    }
    const settings = readSettings(process.env);
    const { council } = loadKnowledge(settings.knowledgeDir);
    const { version } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
        version: string;
    };
    const built = buildTeamsPackage({
        council,
        botId: settings.botId,
        publicUrl: settings.publicUrl,
        teamsAppId: settings.teamsAppId,
        version,
    });

    const validator = new TeamsPackageValidator();
    const report = validator.validatePackage(built.zip);
    const schema = `manifest schema v${report.manifestVersion ?? '?'} (${report.schemaSource}, offline)`;
    if (report.problems.length > 0) {
        process.stderr.write(
            `The Teams package is not valid against the ${schema}; nothing was written:\n` +
                `${report.problems.map((p) => `  ${formatPackageProblem(p)}`).join('\n')}\n` +
                'Fix the field in teams/manifest.template.json, or the council.yaml value filled into it ' +
                '(name, shortName or website).\n',
        );
        return 1;
    }

    const slug = (council.shortName ?? council.name)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
    const out = path.resolve(values.out ?? path.join(projectRoot, 'dist', 'teams', `${slug}-teams-${version}.zip`));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, built.zip);

    const idSource = settings.teamsAppId ? 'from TEAMS_APP_ID' : 'derived from MicrosoftAppId';
    process.stdout.write(
        `${path.relative(process.cwd(), out) || out}\n` +
            `  ${schema}: valid\n` +
            `  $schema ${officialSchemaUrl(report.manifestVersion ?? '')}\n` +
            `  Teams app id ${built.teamsAppId} (${idSource}), bot ${settings.botId}, ` +
            `valid domain ${new URL(settings.publicUrl).host}\n`,
    );
    return 0;
}

try {
    process.exitCode = main();
} catch (error) {
    if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
    } else {
        const known =
            error instanceof ConfigError || error instanceof KnowledgeError || error instanceof ManifestTemplateError;
        process.stderr.write(`${known ? (error as Error).message : `teams:package failed: ${String(error)}`}\n`);
        process.exitCode = 1;
    }
}
