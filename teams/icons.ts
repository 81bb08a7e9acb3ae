import type { RgbaImage } from './png';

/** The sizes Teams requires: a 192×192 full-colour icon and a 32×32 white-on-transparent outline. */
export const iconSizes = { color: 192, outline: 32 } as const;

// Each pixel is sampled on a 4×4 grid, so the bubble's curved edges are smooth at 32×32 too.
const samplesPerAxis = 4;

/** A point in the symbol's own square, 0–1 on each axis with y downwards. */
type Shape = (x: number, y: number) => boolean;

function insideRoundedRect(x: number, y: number, left: number, top: number, right: number, bottom: number, r: number) {
    if (x < left || x > right || y < top || y > bottom) return false;
    const dx = Math.max(left + r - x, 0, x - (right - r));
    const dy = Math.max(top + r - y, 0, y - (bottom - r));
    return dx * dx + dy * dy <= r * r;
}

function insideTriangle(x: number, y: number, a: [number, number], b: [number, number], c: [number, number]) {
    const side = (p: [number, number], q: [number, number]) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
    const s1 = side(a, b);
    const s2 = side(b, c);
    const s3 = side(c, a);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

/** A speech bubble with a tail at the bottom left and three dots cut out: "a conversation". */
const speechBubble: Shape = (x, y) => {
    const dot = [0.32, 0.5, 0.68].some((cx) => (x - cx) ** 2 + (y - 0.42) ** 2 <= 0.07 ** 2);
    if (dot) return false;
    return (
        insideRoundedRect(x, y, 0.06, 0.12, 0.94, 0.72, 0.17) ||
        insideTriangle(x, y, [0.22, 0.64], [0.46, 0.64], [0.18, 0.9])
    );
};

/** The share (0–1) of a pixel covered by the shape drawn in the square `[origin, origin + size)`. */
function coverage(shape: Shape, px: number, py: number, origin: number, size: number): number {
    let hits = 0;
    for (let sy = 0; sy < samplesPerAxis; sy++) {
        for (let sx = 0; sx < samplesPerAxis; sx++) {
            const x = (px + (sx + 0.5) / samplesPerAxis - origin) / size;
            const y = (py + (sy + 0.5) / samplesPerAxis - origin) / size;
            if (x >= 0 && x < 1 && y >= 0 && y < 1 && shape(x, y)) hits++;
        }
    }
    return hits / samplesPerAxis ** 2;
}

/** Parses `#RRGGBB` into its three channels. */
export function parseHexColour(hex: string): [number, number, number] {
    const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!match) throw new RangeError(`"${hex}" is not a colour like #1D70B8`);
    return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

/**
 * The full-colour icon: a white speech bubble on a square of the accent colour. Teams asks for the symbol to
 * sit in the middle half of the icon, so it is drawn in the central 96×96.
 */
export function drawColorIcon(accentColour: string): RgbaImage {
    const size = iconSizes.color;
    const background = parseHexColour(accentColour);
    const pixels = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
            const c = coverage(speechBubble, x, y, size / 4, size / 2);
            const i = (y * size + x) * 4;
            for (let channel = 0; channel < 3; channel++) {
                pixels[i + channel] = Math.round(background[channel]! * (1 - c) + 255 * c);
            }
            pixels[i + 3] = 255;
        }
    }
    return { width: size, height: size, pixels };
}

/** The outline icon: the same bubble in white on transparent, filling the icon, edges softened only by alpha. */
export function drawOutlineIcon(): RgbaImage {
    const size = iconSizes.outline;
    const pixels = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
            const alpha = Math.round(255 * coverage(speechBubble, x, y, 0, size));
            const i = (y * size + x) * 4;
            // Fully transparent pixels are black-transparent; any visible pixel is pure white.
            if (alpha > 0) pixels.set([255, 255, 255, alpha], i);
        }
    }
    return { width: size, height: size, pixels };
}
