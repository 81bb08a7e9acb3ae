import fs from 'node:fs';
import path from 'node:path';

/** The image types a council logo can be, by file extension (lower case), with the media type to serve it as. */
export const logoMediaTypes: Readonly<Record<string, 'image/svg+xml' | 'image/png'>> = {
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
};

/** The media type of a logo file, or `undefined` when its extension is not one a logo can have. */
export function logoMediaType(file: string): 'image/svg+xml' | 'image/png' | undefined {
    return logoMediaTypes[path.extname(file).toLowerCase()];
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Why the logo at `file` (absolute) cannot be shown, or `undefined` when it can. The content is checked against
 * the extension, because a renamed JPEG or an HTML error page saved as `logo.svg` would reach every chat page
 * as a broken image with no error anywhere.
 */
export function logoFileProblem(file: string): string | undefined {
    const mediaType = logoMediaType(file);
    if (!mediaType) return `expected an .svg or .png file, got "${path.basename(file)}"`;
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch {
        return `file not found: ${path.relative(process.cwd(), file) || file}`;
    }
    if (!stat.isFile()) return `expected a file, but ${path.relative(process.cwd(), file) || file} is a folder`;
    const content = fs.readFileSync(file);
    if (mediaType === 'image/png') {
        return content.subarray(0, pngSignature.length).equals(pngSignature)
            ? undefined
            : 'the file is not a PNG image (check that it was saved as PNG, not renamed)';
    }
    return /<svg[\s>]/.test(content.toString('utf8'))
        ? undefined
        : 'the file is not an SVG image: it has no <svg> element';
}
