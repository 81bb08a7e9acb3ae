/**
 * The insight report for a period, from the recorded events:
 *   npm run report -- --from 2026-11-01 --to 2026-11-30 [--format html|csv|json] [--out FILE]
 * Both dates are included (whole days, in UTC). Without --out the report goes to standard output.
 */
import 'dotenv/config';
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../bot/config';
import { createInsightStore } from '../bot/insight/createInsightStore';
import { openDatabase } from '../bot/stores/database';
import { periodMeasures } from '../bot/insight/periodMeasures';
import { reportCsv, reportHtml, reportJson } from '../bot/insight/reportFormats';
import { loadKnowledge } from '../knowledge/loader';

const formats = ['html', 'csv', 'json'] as const;
type Format = (typeof formats)[number];

class UsageError extends Error {}

function parseArgs(args: readonly string[]) {
    const options = new Map<string, string>();
    for (let i = 0; i < args.length; i += 2) {
        const name = args[i] ?? '';
        const value = args[i + 1];
        if (!['--from', '--to', '--format', '--out'].includes(name) || value === undefined) {
            throw new UsageError(`unknown or incomplete option "${name}"`);
        }
        options.set(name.slice(2), value);
    }
    const day = (name: string) => {
        const value = options.get(name);
        if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
            throw new UsageError(`--${name} must be a date like 2026-11-01`);
        }
        return value;
    };
    const from = day('from');
    const to = day('to');
    if (to < from) throw new UsageError('--to must not be before --from');
    const format = (options.get('format') ?? 'html') as Format;
    if (!formats.includes(format)) throw new UsageError('--format must be html, csv or json');
    return { from, to, format, out: options.get('out') };
}

async function main(): Promise<number> {
    const { from, to, format, out } = parseArgs(process.argv.slice(2));
    const config = loadConfig();
    const knowledge = loadKnowledge(config.knowledgeDir);
    const database = await openDatabase(config);
    const store = await createInsightStore(database);
    try {
        const { measures, context, events } = await periodMeasures(store, knowledge, from, to);
        const text =
            format === 'json'
                ? reportJson(measures, context)
                : format === 'csv'
                  ? reportCsv(measures)
                  : reportHtml(measures, context);
        if (out) {
            fs.writeFileSync(out, text);
            process.stderr.write(`Wrote the ${format} report for ${from} to ${to} (${events} events) to ${out}\n`);
        } else {
            process.stdout.write(text);
        }
        return 0;
    } finally {
        await store.close();
        await database.close();
    }
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        if (error instanceof UsageError) {
            process.stderr.write(
                `${error.message}\nUsage: npm run report -- --from DATE --to DATE [--format html|csv|json] [--out FILE]\n`,
            );
            process.exit(2);
        }
        process.stderr.write(`${error instanceof ConfigError ? error.message : `Report failed: ${String(error)}`}\n`);
        process.exit(1);
    },
);
