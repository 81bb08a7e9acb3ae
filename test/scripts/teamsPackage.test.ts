import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import { projectRoot } from '../../bot/config';
import { loadKnowledge } from '../../knowledge/loader';
import type { Council } from '../../knowledge/schema';
import { drawOutlineIcon } from '../../teams/icons';
import { fillManifestTemplate, loadManifestTemplate, ManifestTemplateError } from '../../teams/manifestTemplate';
import { buildTeamsPackage, teamsAppIdFor, type TeamsPackage } from '../../teams/packageBuilder';
import { TeamsPackageValidator, type TeamsPackageProblem } from '../../teams/packageValidator';
import { decodePng, encodePng, type RgbaImage } from '../../teams/png';
import { readZip, writeZip, type ZipEntry } from '../../teams/zipArchive';

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const botId = '11111111-2222-3333-4444-555555555555';
const publicUrl = 'https://assistant.anytown.gov.uk';
// uuid.uuid5(uuid.UUID('856473b7-133c-420f-94b2-fd624e6c2944'), botId) in Python: an independent reference.
const derivedTeamsAppId = 'ac5ae1c7-2e21-5e94-9c9a-12e9a8206cc5';
const packageVersion = (
    JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;

/** Reads a zip by walking its local headers from the start: a different path from the package's own reader. */
function unzipByLocalHeaders(zip: Buffer): Map<string, Buffer> {
    const files = new Map<string, Buffer>();
    let at = 0;
    while (at + 4 <= zip.length && zip.readUInt32LE(at) === 0x04034b50) {
        expect(zip.readUInt16LE(at + 6) & 0x08, 'sizes are in the local header').to.equal(0);
        const method = zip.readUInt16LE(at + 8);
        const crc = zip.readUInt32LE(at + 14);
        const compressedSize = zip.readUInt32LE(at + 18);
        const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
        const name = zip.toString('utf8', at + 30, at + 30 + zip.readUInt16LE(at + 26));
        const body = zip.subarray(start, start + compressedSize);
        const data = method === 8 ? zlib.inflateRawSync(body) : Buffer.from(body);
        expect(zlib.crc32(data), `${name} CRC`).to.equal(crc);
        files.set(name, data);
        at = start + compressedSize;
    }
    return files;
}

/** A PNG's width and height, straight from its IHDR chunk. */
function pngDimensions(png: Buffer): [number, number] {
    expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    expect(png.toString('latin1', 12, 16)).to.equal('IHDR');
    return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

function image(width: number, height: number, rgba: [number, number, number, number]): RgbaImage {
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) pixels.set(rgba, i * 4);
    return { width, height, pixels };
}

function fields(problems: readonly TeamsPackageProblem[]): string[] {
    return problems.map((p) => `${p.file} ${p.field}`.trim());
}

describe('npm run teams:package', function () {
    this.timeout(60_000);
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-package-'))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function teamsPackage(env: Record<string, string>, out: string) {
        // Every variable the command reads is set (empty means unset), so a developer's .env cannot change the run.
        return spawnSync(tsx, ['scripts/teamsPackage.ts', '--out', out], {
            cwd: projectRoot,
            encoding: 'utf8',
            env: { ...process.env, MicrosoftAppId: '', PUBLIC_URL: '', TEAMS_APP_ID: '', KNOWLEDGE_DIR: '', ...env },
        });
    }

    describe('with the sample knowledge, an app id and PUBLIC_URL', () => {
        let out: string;
        let run: ReturnType<typeof teamsPackage>;
        let files: Map<string, Buffer>;
        let manifest: Record<string, unknown>;
        before(() => {
            out = path.join(dir, 'sample.zip');
            run = teamsPackage({ MicrosoftAppId: botId, PUBLIC_URL: publicUrl }, out);
            expect(run.status, run.stderr).to.equal(0);
            files = unzipByLocalHeaders(fs.readFileSync(out));
            manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}') as Record<string, unknown>;
        });

        it('writes the package and prints its path, the schema version and "valid"', () => {
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.include(path.relative(projectRoot, out));
            expect(run.stdout).to.match(
                /manifest schema v1\.30 \(@microsoft\/app-manifest \d+\.\d+\.\d+, offline\): valid/,
            );
            expect(run.stdout).to.include(`Teams app id ${derivedTeamsAppId} (derived from MicrosoftAppId)`);
        });

        it('holds exactly manifest.json, color.png and outline.png at the root of the zip', () => {
            expect([...files.keys()]).to.deep.equal(['manifest.json', 'color.png', 'outline.png']);
            expect(readZip(fs.readFileSync(out)).map((e) => e.name)).to.deep.equal([...files.keys()]);
        });

        it("validates against Microsoft's v1.30 manifest schema, compiled here from @microsoft/app-manifest", () => {
            const schemaFile =
                require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
            const ajv = new Ajv04({ allErrors: true, strictTypes: false });
            addFormats(ajv, ['uri', 'email', 'regex']);
            const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
            expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).to.equal(true);
            expect(manifest).to.deep.include({
                $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
                manifestVersion: '1.30',
                version: packageVersion,
                id: derivedTeamsAppId,
            });
        });

        it('names the bot in personal, team and group chat scopes without files, and the public host', () => {
            expect(manifest.bots).to.deep.equal([
                {
                    botId,
                    scopes: ['personal', 'team', 'groupChat'],
                    supportsFiles: false,
                    isNotificationOnly: false,
                },
            ]);
            expect(manifest.validDomains).to.deep.equal(['assistant.anytown.gov.uk']);
        });

        it("takes the names and the developer from the council's knowledge", () => {
            const { council } = loadKnowledge(path.join(projectRoot, 'knowledge', 'sample'));
            expect(manifest.name).to.deep.equal({
                short: `${council.shortName} assistant`,
                full: `${council.name} resident assistant`,
            });
            expect(manifest.developer).to.deep.include({ name: council.name, websiteUrl: council.website });
            expect(JSON.stringify(manifest.description))
                .to.include(council.name)
                .and.not.match(/\{[a-zA-Z]+\}/);
        });

        it('has a 192×192 opaque colour icon in the accent colour and a 32×32 white-on-transparent outline', () => {
            const color = files.get('color.png') as Buffer;
            const outline = files.get('outline.png') as Buffer;
            expect(pngDimensions(color)).to.deep.equal([192, 192]);
            expect(pngDimensions(outline)).to.deep.equal([32, 32]);

            const colorPixels = decodePng(color).pixels;
            expect([...colorPixels.subarray(0, 4)]).to.deep.equal([0x1d, 0x70, 0xb8, 255]);
            expect(colorPixels.filter((_, i) => i % 4 === 3 && colorPixels[i] !== 255)).to.have.length(0);
            const centre = (96 * 192 + 60) * 4; // inside the bubble, left of the dots
            expect([...colorPixels.subarray(centre, centre + 4)]).to.deep.equal([255, 255, 255, 255]);

            const { pixels } = decodePng(outline);
            let opaque = 0;
            let transparent = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                if (pixels[i + 3] === 0) transparent++;
                else {
                    expect([...pixels.subarray(i, i + 3)], `pixel ${i / 4}`).to.deep.equal([255, 255, 255]);
                    if (pixels[i + 3] === 255) opaque++;
                }
            }
            expect(opaque, 'a visible symbol').to.be.above(200);
            expect(transparent, 'a transparent background').to.be.above(200);
        });
    });

    it('uses TEAMS_APP_ID as the Teams app id when it is set', () => {
        const out = path.join(dir, 'own-id.zip');
        const teamsAppId = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
        const run = teamsPackage({ MicrosoftAppId: botId, PUBLIC_URL: publicUrl, TEAMS_APP_ID: teamsAppId }, out);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.include(`Teams app id ${teamsAppId} (from TEAMS_APP_ID)`);
        const manifest = JSON.parse(unzipByLocalHeaders(fs.readFileSync(out)).get('manifest.json')!.toString());
        expect(manifest.id).to.equal(teamsAppId);
    });

    it('stops with exit code 1 naming MicrosoftAppId when it is not set, and writes nothing', () => {
        const out = path.join(dir, 'no-app-id.zip');
        const run = teamsPackage({ PUBLIC_URL: publicUrl }, out);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.match(/^Invalid configuration:\n {2}MicrosoftAppId: required/);
        expect(run.stderr).not.to.match(/\n\s+at /);
        expect(fs.existsSync(out)).to.equal(false);
    });

    it('stops with exit code 1 naming PUBLIC_URL when it is missing or not https', () => {
        const missing = teamsPackage({ MicrosoftAppId: botId }, path.join(dir, 'no-url.zip'));
        expect(missing.status).to.equal(1);
        expect(missing.stderr).to.match(/PUBLIC_URL: required/);
        const plain = teamsPackage({ MicrosoftAppId: botId, PUBLIC_URL: 'http://x.test' }, path.join(dir, 'h.zip'));
        expect(plain.status).to.equal(1);
        expect(plain.stderr).to.match(/PUBLIC_URL: expected an https:\/\/ address/);
    });

    it('refuses to write a package the schema rejects, naming the field', () => {
        const knowledge = path.join(dir, 'long-name');
        fs.cpSync(path.join(projectRoot, 'knowledge', 'sample'), knowledge, { recursive: true });
        const councilFile = path.join(knowledge, 'council.yaml');
        fs.writeFileSync(
            councilFile,
            fs
                .readFileSync(councilFile, 'utf8')
                .replace(/^shortName: .*$/m, 'shortName: Royal Borough of Anytown-upon-Sea'),
        );
        const out = path.join(dir, 'long-name.zip');
        const run = teamsPackage({ MicrosoftAppId: botId, PUBLIC_URL: publicUrl, KNOWLEDGE_DIR: knowledge }, out);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.match(/not valid against the manifest schema v1\.30/);
        expect(run.stderr).to.include('manifest.json name.short: must NOT have more than 30 characters');
        expect(fs.existsSync(out)).to.equal(false);
    });
});

describe('Teams package validation', function () {
    this.timeout(30_000);
    const validator = new TeamsPackageValidator();
    let council: Council;
    let built: TeamsPackage;
    let entries: ZipEntry[];
    before(() => {
        council = loadKnowledge(path.join(projectRoot, 'knowledge', 'sample')).council;
        built = buildTeamsPackage({ council, botId, publicUrl, version: '1.2.3' });
        entries = readZip(built.zip);
    });
    const manifest = (change: (m: Record<string, unknown>) => void) => {
        const copy = structuredClone(built.manifest) as Record<string, unknown>;
        change(copy);
        return copy;
    };
    const repack = (change: (files: ZipEntry[]) => ZipEntry[]) => validator.validatePackage(writeZip(change(entries)));

    it('finds nothing wrong with a freshly built package, which is the same bytes every time', () => {
        expect(validator.validatePackage(built.zip)).to.deep.include({ manifestVersion: '1.30', problems: [] });
        expect(buildTeamsPackage({ council, botId, publicUrl, version: '1.2.3' }).zip.equals(built.zip)).to.equal(true);
    });

    it('derives the Teams app id from the bot id, the same in any letter case', () => {
        expect(teamsAppIdFor(botId)).to.equal(derivedTeamsAppId);
        expect(teamsAppIdFor(botId.toUpperCase())).to.equal(derivedTeamsAppId);
        expect(teamsAppIdFor('22222222-2222-3333-4444-555555555555')).not.to.equal(derivedTeamsAppId);
    });

    it('reports a missing short name, naming the field', () => {
        const { problems } = validator.validateManifest(
            manifest((m) => delete (m.name as Record<string, unknown>).short),
        );
        expect(problems).to.deep.equal([
            { file: 'manifest.json', field: 'name.short', message: 'missing (the schema requires it)' },
        ]);
    });

    it('reports a version Teams does not accept, which the schema alone lets through', () => {
        const { problems } = validator.validateManifest(manifest((m) => (m.version = '1.0')));
        expect(fields(problems)).to.deep.equal(['manifest.json version']);
        expect(problems[0]?.message).to.match(/expected MAJOR\.MINOR\.PATCH/);
    });

    it('reports schema mistakes deep in the manifest with their path', () => {
        const { problems } = validator.validateManifest(
            manifest((m) => {
                const bot = (m.bots as Record<string, unknown>[])[0]!;
                bot.botId = 'not-a-guid';
                bot.scopes = ['personal', 'everywhere'];
                m.accentColour = '#000000';
            }),
        );
        expect(fields(problems)).to.have.members([
            'manifest.json bots[0].botId',
            'manifest.json bots[0].scopes[1]',
            'manifest.json accentColour',
        ]);
    });

    it('reports a valid domain given as a URL, and a manifest version it has no schema for', () => {
        expect(
            fields(validator.validateManifest(manifest((m) => (m.validDomains = [publicUrl]))).problems),
        ).to.deep.equal(['manifest.json validDomains[0]']);
        const unknown = validator.validateManifest(manifest((m) => (m.manifestVersion = '9.9')));
        expect(unknown.problems[0]).to.deep.include({ field: 'manifestVersion' });
        expect(unknown.problems[0]?.message).to.match(/no schema for "9\.9" in @microsoft\/app-manifest .*1\.30/);
    });

    it('reports files in folders, files the manifest does not name and a missing icon', () => {
        const report = repack((files) => [
            ...files.filter((f) => f.name !== 'outline.png'),
            { name: 'icons/outline.png', data: encodePng(drawOutlineIcon()) },
            { name: 'notes.txt', data: Buffer.from('hello') },
        ]);
        expect(fields(report.problems)).to.have.members([
            'icons/outline.png',
            'notes.txt',
            'manifest.json icons.outline',
        ]);
    });

    it('reports icons of the wrong size and an outline icon with a coloured pixel', () => {
        const outline = drawOutlineIcon();
        const spotted = { ...outline, pixels: Uint8Array.from(outline.pixels) };
        spotted.pixels.set([255, 0, 0, 255], (3 * 32 + 5) * 4);
        const report = repack((files) =>
            files.map((f) =>
                f.name === 'color.png'
                    ? { name: f.name, data: encodePng(image(96, 96, [0, 0, 255, 255])) }
                    : f.name === 'outline.png'
                      ? { name: f.name, data: encodePng(spotted) }
                      : f,
            ),
        );
        expect(report.problems).to.have.length(2);
        expect(report.problems[0]).to.deep.equal({
            file: 'color.png',
            field: '',
            message: 'is 96×96; Teams requires 192×192',
        });
        expect(report.problems[1]?.file).to.equal('outline.png');
        expect(report.problems[1]?.message).to.match(/^has 1 pixel .* at x 5, y 3 is #ff0000/);
    });

    it('reports bytes that are not a zip', () => {
        expect(validator.validatePackage(Buffer.from('not a zip')).problems).to.deep.equal([
            { file: '', field: '', message: 'not a zip archive (no end of central directory record)' },
        ]);
    });

    it('refuses a template with an unknown placeholder, naming the field', () => {
        const values = {
            council: 'C',
            shortName: 'C',
            website: 'https://c.test',
            version: '1.0.0',
            teamsAppId: derivedTeamsAppId,
            botId,
            publicHost: 'c.test',
        };
        const template = loadManifestTemplate() as Record<string, unknown>;
        expect(() => fillManifestTemplate({ ...template, name: { short: '{councilName}' } }, values))
            .to.throw(ManifestTemplateError)
            .with.property('message')
            .that.matches(/teams\/manifest\.template\.json name\.short: unknown placeholder \{councilName\}/);
    });
});
