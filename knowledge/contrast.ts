/** WCAG 2.2 success criterion 1.4.3 (AA): the least contrast for normal-size text. */
export const minimumTextContrast = 4.5;

/** A colour written as `#rrggbb` (either case). */
export const hexColourPattern = /^#[0-9a-fA-F]{6}$/;

/** An sRGB channel (0–255) made linear, as WCAG's relative luminance defines it. */
function linear(channel: number): number {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/**
 * The WCAG 2.2 relative luminance of a `#rrggbb` colour, from 0 (black) to 1 (white).
 * Throws on any other form, because a silent NaN would make every contrast check pass.
 */
export function relativeLuminance(hex: string): number {
    if (!hexColourPattern.test(hex)) throw new Error(`expected a colour written as #rrggbb, got "${hex}"`);
    const [r, g, b] = [1, 3, 5].map((start) => linear(parseInt(hex.slice(start, start + 2), 16))) as [
        number,
        number,
        number,
    ];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG 2.2 contrast ratio of two `#rrggbb` colours, from 1 (none) to 21 (black and white), in either order. */
export function contrastRatio(first: string, second: string): number {
    const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [
        number,
        number,
    ];
    return (lighter + 0.05) / (darker + 0.05);
}

/**
 * A ratio as contrast checkers show it, to two decimal places, e.g. "5.17:1". A ratio just below 4.5:1 is rounded
 * down instead, so a colour that fails never reads as "4.50:1".
 */
export function formatContrastRatio(ratio: number): string {
    const rounded = Math.round(ratio * 100) / 100;
    const shown =
        ratio < minimumTextContrast && rounded >= minimumTextContrast ? Math.floor(ratio * 100) / 100 : rounded;
    return `${shown.toFixed(2)}:1`;
}
