/**
 * The optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbouring
 * letters each count as one edit ("recylcing" is one edit from "recycling"). Stops early above `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    const rows: number[][] = [];
    for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
    for (let i = 1; i <= a.length; i++) {
        const row = rows[i] as number[];
        const above = rows[i - 1] as number[];
        let rowMin = row[0] as number;
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let d = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
            }
            row[j] = d;
            rowMin = Math.min(rowMin, d);
        }
        if (rowMin > max) return max + 1;
    }
    return (rows[a.length] as number[])[b.length] as number;
}
