import { expect } from 'chai';
import { loadKnowledge } from '../../knowledge/loader';
import { findSiteById, findSiteByOrigin, type Site } from '../../knowledge/sites';
import { KnowledgeCopy, loadError, sampleDir, where } from './knowledgeFixture';

const sites = 'sites.yaml';
const riverside = 'riverside-housing';
const millbrook = 'millbrook-parish';
const libraries = 'anytown-libraries';

describe('partner sites in sites.yaml', () => {
    let copy: KnowledgeCopy;

    beforeEach(() => {
        copy = new KnowledgeCopy();
    });

    afterEach(() => {
        copy.dispose();
    });

    describe('the shipped sample', () => {
        it('loads its partners, with Riverside Housing allowed from the local test page', () => {
            const knowledge = loadKnowledge(sampleDir);
            const riversideHousing = findSiteById(knowledge.sites, riverside);

            expect(knowledge.sites.map((s) => s.id)).to.deep.equal([riverside, millbrook, libraries]);
            expect(riversideHousing?.name).to.equal('Riverside Housing');
            expect(riversideHousing?.allowedOrigins).to.include('http://localhost:8090');
            expect(riversideHousing?.accentColour).to.equal('#005a60');
            expect(riversideHousing?.launcherLabel).to.equal('Ask Anytown Council');
        });

        it('features only services that exist, and offers every partner an https origin', () => {
            const knowledge = loadKnowledge(sampleDir);
            const serviceIds = new Set(knowledge.services.map((s) => s.id));

            for (const site of knowledge.sites) {
                expect(site.featuredServices, site.id).to.have.length.greaterThan(0);
                expect(
                    site.featuredServices.filter((id) => !serviceIds.has(id)),
                    site.id,
                ).to.deep.equal([]);
                expect(
                    site.allowedOrigins.some((o) => o.startsWith('https://')),
                    site.id,
                ).to.equal(true);
            }
        });

        it("labels a launcher with the council's assistant name when the site gives no label", () => {
            const knowledge = loadKnowledge(sampleDir);

            expect(findSiteById(knowledge.sites, libraries)?.launcherLabel).to.equal(
                knowledge.council.branding.assistantName,
            );
        });
    });

    it('has no partner sites when sites.yaml is left out, or lists none', () => {
        copy.remove(sites);
        expect(copy.load().sites).to.deep.equal([]);

        copy.write(sites, '# No partners yet.\nsites: []\n');
        expect(copy.load().sites).to.deep.equal([]);
    });

    it('features no services when featuredServices is left out', () => {
        copy.replaceField(sites, millbrook, 'featuredServices', '');

        expect(findSiteById(copy.load().sites, millbrook)?.featuredServices).to.deep.equal([]);
    });

    it('accepts a welcome and a launcher label written in English and Welsh', () => {
        copy.replace(
            sites,
            '    launcherLabel: Ask Anytown Council\n',
            '    launcherLabel:\n      en: Ask Anytown Council\n      cy: Gofynnwch i Gyngor Anytown\n',
            riverside,
        );

        expect(findSiteById(copy.load().sites, riverside)?.launcherLabel).to.deep.equal({
            en: 'Ask Anytown Council',
            cy: 'Gofynnwch i Gyngor Anytown',
        });
    });

    describe('reports each kind of mistake with its file, line, column and field', () => {
        /** `sites[i].field` for the site with this id. */
        const field = (id: string, rest: string) => `sites[${copy.indexOfId(sites, id)}].${rest}`;

        it('reports an origin with a path, naming the origin to write instead', () => {
            const at = copy.replace(
                sites,
                'https://libraries.anytown.gov.uk\n',
                'https://libraries.anytown.gov.uk/chat\n',
                libraries,
            );

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, at, field(libraries, 'allowedOrigins[0]'))}: an origin has no path: use ` +
                    '"https://libraries.anytown.gov.uk"',
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports an origin with a trailing slash', () => {
            const at = copy.replace(
                sites,
                'https://myhome.riversidehousing.example\n',
                'https://myhome.riversidehousing.example/\n',
                riverside,
            );

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, at, field(riverside, 'allowedOrigins[1]'))}: an origin has no trailing slash`,
            );
        });

        it('reports a plain http origin that is not on this computer', () => {
            const at = copy.replace(
                sites,
                'https://www.millbrookparishcouncil.gov.uk\n',
                'http://www.millbrookparishcouncil.gov.uk\n',
                millbrook,
            );

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, at, field(millbrook, 'allowedOrigins[0]'))}: expected https:// (http:// is ` +
                    'allowed only for http://localhost and http://127.0.0.1)',
            );
        });

        it('reports a site with no origins', () => {
            const key = copy.replace(
                sites,
                '    allowedOrigins:\n      - https://libraries.anytown.gov.uk\n',
                '    allowedOrigins: []\n',
                libraries,
            );

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, { line: key.line, column: 5 }, field(libraries, 'allowedOrigins'))}: ` +
                    'expected at least one origin',
            );
        });

        it('reports an origin given to two sites at the second, naming the first', () => {
            const first = copy.locate(sites, 'https://www.riversidehousing.example\n', riverside);
            const at = copy.replace(
                sites,
                '      - https://libraries.anytown.gov.uk\n',
                '      - https://libraries.anytown.gov.uk\n      - https://www.riversidehousing.example\n',
                libraries,
            );
            const second = { line: at.line + 1, column: 9 };

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, second, field(libraries, 'allowedOrigins[1]'))}: origin ` +
                    `"https://www.riversidehousing.example" is already allowed for site "${riverside}" (at ` +
                    `${where(copy, sites, first, field(riverside, 'allowedOrigins[0]'))}); an origin can belong to ` +
                    'only one site',
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports an origin listed twice for one site', () => {
            const first = copy.locate(sites, 'https://libraries.anytown.gov.uk\n', libraries);
            copy.replace(
                sites,
                '      - https://libraries.anytown.gov.uk\n',
                '      - https://libraries.anytown.gov.uk\n      - https://libraries.anytown.gov.uk\n',
                libraries,
            );
            const second = { line: first.line + 1, column: first.column };

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, second, field(libraries, 'allowedOrigins[1]'))}: origin ` +
                    '"https://libraries.anytown.gov.uk" is listed twice (also at ' +
                    `${where(copy, sites, first, field(libraries, 'allowedOrigins[0]'))})`,
            );
        });

        it('reports a featured service that does not exist, at the exact list item', () => {
            const at = copy.replace(sites, '      - pothole\n', '      - potholes\n', millbrook);
            const item = { line: at.line, column: 9 };

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, item, field(millbrook, 'featuredServices[0]'))}: unknown service id "potholes"`,
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports a featured service listed twice', () => {
            const at = copy.replace(sites, '      - dog-fouling\n', '      - pothole\n', millbrook);
            const item = { line: at.line, column: 9 };

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, item, field(millbrook, 'featuredServices[4]'))}: ` +
                    'service "pothole" is listed twice',
            );
        });

        it('reports a site id used twice at the second, naming the first', () => {
            const first = copy.locate(sites, `id: ${riverside}\n`);
            const index = copy.indexOfId(sites, libraries);
            const at = copy.replace(sites, `id: ${libraries}\n`, `id: ${riverside}\n`);

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, at, `sites[${index}].id`)}: duplicate id "${riverside}" (also at ` +
                    `${where(copy, sites, first, 'sites[0].id')})`,
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports an accent colour too light for white text, with its measured contrast ratio', () => {
            const at = copy.replace(sites, "accentColour: '#3d6b21'", "accentColour: '#85994b'", millbrook);

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, at, field(millbrook, 'accentColour'))}: white text on #85994b has a contrast ` +
                    'ratio of 3.16:1, below the 4.5:1 that WCAG 2.2 AA needs for text',
            );
        });

        it('reports a missing welcome at the site, and an unknown field by name', () => {
            const site = copy.locate(sites, `id: ${libraries}`);
            copy.replaceField(sites, libraries, 'welcome', '');
            const key = copy.replace(sites, '    accentColour:', '    accentColor:', libraries);

            const error = loadError(copy);

            expect(error.message).to.include(`${where(copy, sites, site, field(libraries, 'welcome'))}: missing`);
            expect(error.message).to.include(
                `${where(copy, sites, { line: key.line, column: 5 }, field(libraries, 'accentColor'))}: unknown field`,
            );
        });

        it('still checks the other sites when one site has a mistake', () => {
            const broken = copy.replace(sites, '    name: Riverside Housing\n', '    name: ""\n', riverside);
            const unknown = copy.replace(sites, '      - libraries\n', '      - library\n', libraries);

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, sites, { line: broken.line, column: 5 }, field(riverside, 'name'))}: `,
            );
            expect(error.message).to.include(
                `${where(copy, sites, { line: unknown.line, column: 9 }, field(libraries, 'featuredServices[0]'))}: ` +
                    'unknown service id "library"',
            );
            expect(error.problems).to.have.lengthOf(2);
        });

        it('reports sites.yaml written as a bare list instead of under "sites:", where the list starts', () => {
            const text = copy.read(sites);
            copy.write(sites, text.replace(/^sites:\n/m, '').replace(/^ {2}/gm, ''));
            const list = copy.locate(sites, `- id: ${riverside}`);

            const error = loadError(copy);

            expect(error.message).to.include(`${where(copy, sites, list, '')}: expected object, received array`);
            expect(error.problems).to.have.lengthOf(1);
        });
    });
});

describe('finding a partner site', () => {
    const site = (id: string, allowedOrigins: string[]): Site => ({
        id,
        name: id,
        allowedOrigins,
        welcome: `Welcome from ${id}`,
        accentColour: '#1d70b8',
        featuredServices: [],
        launcherLabel: 'Ask the council',
    });
    const partners = [
        site('riverside-housing', ['https://www.riversidehousing.example', 'http://localhost:8090']),
        site('millbrook-parish', ['https://www.millbrookparishcouncil.gov.uk']),
    ];

    it('finds a site by id', () => {
        expect(findSiteById(partners, 'millbrook-parish')).to.equal(partners[1]);
        expect(findSiteById(partners, 'nobody')).to.equal(undefined);
    });

    it("finds the site a request's Origin header belongs to", () => {
        expect(findSiteByOrigin(partners, 'http://localhost:8090')).to.equal(partners[0]);
        expect(findSiteByOrigin(partners, 'https://www.millbrookparishcouncil.gov.uk')).to.equal(partners[1]);
    });

    it('matches origins exactly, so a look-alike, another port, "null" or no origin finds no site', () => {
        for (const origin of [
            'https://www.riversidehousing.example/',
            'https://www.riversidehousing.example.evil.example',
            'http://www.riversidehousing.example',
            'http://localhost:8091',
            'null',
            '',
            undefined,
        ]) {
            expect(findSiteByOrigin(partners, origin), String(origin)).to.equal(undefined);
        }
    });
});
