/** The value below which `p` percent of `values` fall (nearest rank); 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** The least-squares slope of y over x; 0 with fewer than two points. */
export function slope(points: readonly { x: number; y: number }[]): number {
    if (points.length < 2) return 0;
    const n = points.length;
    const mx = points.reduce((s, p) => s + p.x, 0) / n;
    const my = points.reduce((s, p) => s + p.y, 0) / n;
    const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
    const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    return sxx === 0 ? 0 : sxy / sxx;
}

/** Bytes as mebibytes with one decimal. */
export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A number rounded to one decimal (for milliseconds). */
export const oneDecimal = (n: number) => Math.round(n * 10) / 10;
