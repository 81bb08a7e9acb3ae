import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { logoFileProblem, logoMediaType } from '../../knowledge/logo';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe('logo', () => {
    let dir: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logo-test-'));
    });

    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    function file(name: string, content: string | Buffer): string {
        fs.writeFileSync(path.join(dir, name), content);
        return path.join(dir, name);
    }

    describe('logoMediaType', () => {
        it('serves .svg as SVG and .png as PNG, whatever the case of the extension', () => {
            expect(logoMediaType('logo.svg')).to.equal('image/svg+xml');
            expect(logoMediaType('branding/Logo.SVG')).to.equal('image/svg+xml');
            expect(logoMediaType('logo.png')).to.equal('image/png');
        });

        it('knows no other kind of file', () => {
            for (const name of ['logo.jpg', 'logo.gif', 'logo.svgz', 'logo', 'svg']) {
                expect(logoMediaType(name), name).to.equal(undefined);
            }
        });
    });

    describe('logoFileProblem', () => {
        it('accepts an SVG file, with or without an XML declaration first', () => {
            expect(logoFileProblem(file('a.svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).to.equal(
                undefined,
            );
            expect(logoFileProblem(file('b.svg', '<?xml version="1.0"?>\n<svg>\n</svg>'))).to.equal(undefined);
        });

        it('accepts a PNG file by its signature', () => {
            expect(logoFileProblem(file('logo.png', png))).to.equal(undefined);
        });

        it('reports a file that is not there', () => {
            expect(logoFileProblem(path.join(dir, 'missing.svg'))).to.match(/^file not found: .*missing\.svg$/);
        });

        it('reports a folder with a logo-like name', () => {
            fs.mkdirSync(path.join(dir, 'logo.svg'));

            expect(logoFileProblem(path.join(dir, 'logo.svg'))).to.match(
                /^expected a file, but .*logo\.svg is a folder$/,
            );
        });

        it('reports an SVG file with no <svg> element, such as a saved error page', () => {
            expect(logoFileProblem(file('logo.svg', '<html><body>Not found</body></html>'))).to.equal(
                'the file is not an SVG image: it has no <svg> element',
            );
        });

        it('reports a JPEG renamed to .png', () => {
            expect(logoFileProblem(file('logo.png', jpeg))).to.equal(
                'the file is not a PNG image (check that it was saved as PNG, not renamed)',
            );
        });

        it('reports an extension a logo cannot have', () => {
            expect(logoFileProblem(file('logo.jpg', jpeg))).to.equal('expected an .svg or .png file, got "logo.jpg"');
        });
    });
});
