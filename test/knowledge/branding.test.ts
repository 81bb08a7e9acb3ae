import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { loadKnowledge } from '../../knowledge/loader';
import { defaultBrandColours } from '../../knowledge/schema';
import { KnowledgeCopy, loadError, sampleDir, where } from './knowledgeFixture';

const council = 'council.yaml';
const colours = "  colours:\n    primary: '#1d70b8' # the header\n    accent: '#00703c' # buttons and links\n";

describe("the council's branding in council.yaml", () => {
    let copy: KnowledgeCopy;

    beforeEach(() => {
        copy = new KnowledgeCopy();
    });

    afterEach(() => {
        copy.dispose();
    });

    it("loads the sample's branding, with the logo resolved to its absolute path", () => {
        const { branding } = loadKnowledge(sampleDir).council;

        expect(branding.assistantName).to.equal('Anytown Assistant');
        expect(branding.logo).to.equal(path.join(sampleDir, 'logo.svg'));
        expect(fs.readFileSync(branding.logo, 'utf8')).to.match(/<title[^>]*>Anytown Borough Council<\/title>/);
        expect(branding.logoAlt).to.equal('Anytown Borough Council');
        expect(branding.colours).to.deep.equal({ primary: '#1d70b8', accent: '#00703c' });
        expect(branding.intro)
            .to.be.a('string')
            .and.match(/automated assistant/);
    });

    it("uses GOV.UK's blue and green when the colours are left out, and either one on its own", () => {
        copy.replace(council, colours, '');
        expect(copy.load().council.branding.colours).to.deep.equal(defaultBrandColours);

        const logoAlt = '  logoAlt: Anytown Borough Council\n';
        copy.replace(council, logoAlt, `${logoAlt}  colours: { accent: '#005A60' }\n`);
        expect(copy.load().council.branding.colours).to.deep.equal({ primary: '#1d70b8', accent: '#005a60' });
    });

    it('accepts the name, intro and logo text written in English and Welsh', () => {
        copy.replace(
            council,
            '  assistantName: Anytown Assistant\n',
            '  assistantName:\n    en: Anytown Assistant\n    cy: Cynorthwyydd Anytown\n',
        );

        expect(copy.load().council.branding.assistantName).to.deep.equal({
            en: 'Anytown Assistant',
            cy: 'Cynorthwyydd Anytown',
        });
    });

    describe('reports each kind of mistake with its file, line, column and field', () => {
        it('reports a logo file that is not in the folder', () => {
            copy.remove('logo.svg');
            const key = copy.locate(council, 'logo: logo.svg');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, council, key, 'branding.logo')}: file not found: ${copy.shown('logo.svg')}`,
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports a logo that is not an .svg or .png file', () => {
            const key = copy.replace(council, '  logo: logo.svg\n', '  logo: logo.gif\n');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, council, { line: key.line, column: 3 }, 'branding.logo')}: ` +
                    'expected an .svg or .png file',
            );
        });

        it('reports a logo path that leaves the knowledge folder, or is absolute', () => {
            const key = copy.replace(council, '  logo: logo.svg\n', '  logo: ../logo.svg\n');
            let error = loadError(copy);
            expect(error.message).to.include(
                `${where(copy, council, { line: key.line, column: 3 }, 'branding.logo')}: expected a file inside the ` +
                    'knowledge folder, but "../logo.svg" is outside it',
            );

            copy.replace(council, '  logo: ../logo.svg\n', `  logo: ${path.join(copy.dir, 'logo.svg')}\n`);
            error = loadError(copy);
            expect(error.message).to.include(
                `${where(copy, council, { line: key.line, column: 3 }, 'branding.logo')}: ` +
                    'expected a path relative to the knowledge folder',
            );
        });

        it('reports a logo whose content is not the image its name says', () => {
            copy.write('logo.svg', '<!doctype html><title>Page not found</title>');
            const key = copy.locate(council, 'logo: logo.svg');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, council, key, 'branding.logo')}: the file is not an SVG image: it has no <svg> element`,
            );
        });

        it('reports a colour that is not written as #rrggbb', () => {
            const at = copy.replace(council, "primary: '#1d70b8'", "primary: '#17b'");

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, council, at, 'branding.colours.primary')}: expected a colour written as '#rrggbb'`,
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('says to quote a colour that YAML read as a comment', () => {
            const at = copy.replace(council, "accent: '#00703c'", 'accent: #00703c');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, council, at, 'branding.colours.accent')}: ` +
                    "expected a colour in quotes, such as '#1d70b8'",
            );
        });

        it('reports a colour too light for white text, with its measured contrast ratio', () => {
            const at = copy.replace(council, "primary: '#1d70b8'", "primary: '#FFDD00'");

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, council, at, 'branding.colours.primary')}: white text on #FFDD00 has a contrast ratio ` +
                    'of 1.35:1, below the 4.5:1 that WCAG 2.2 AA needs for text: choose a darker colour',
            );
        });

        it('rejects a colour just short of 4.5:1, without rounding it up to a pass', () => {
            const at = copy.replace(council, "accent: '#00703c'", "accent: '#777777'");

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, council, at, 'branding.colours.accent')}: ` +
                    'white text on #777777 has a contrast ratio of 4.48:1',
            );
        });

        it('reports missing branding at the start of council.yaml', () => {
            const start = copy.locate(council, 'name: Anytown Borough Council');
            const branding = copy.read(council).match(/\n(# How the council's own chat page[\s\S]*?)\n# When advisers/);
            copy.replace(council, branding?.[1] ?? 'no branding block', '');

            const error = loadError(copy);

            expect(error.message).to.include(`${where(copy, council, start, 'branding')}: missing`);
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports a missing intro at the branding field, and "colors" as an unknown field', () => {
            const branding = copy.locate(council, 'branding:\n');
            copy.replace(council, copy.read(council).match(/ {2}intro: \|\n(?: {4}.*\n|\n)+/)?.[0] ?? 'no intro', '');
            const key = copy.replace(council, '  colours:\n', '  colors:\n');

            const error = loadError(copy);

            expect(error.message).to.include(`${where(copy, council, branding, 'branding.intro')}: missing`);
            expect(error.message).to.include(
                `${where(copy, council, { line: key.line, column: 3 }, 'branding.colors')}: unknown field "colors"`,
            );
        });
    });
});
