import { escapeHtml } from '../agentConsole/escapeHtml';
import type { Measures, Share } from './measures';

/** What a report covers and how its keys read. */
export interface ReportContext {
    readonly councilName: string;
    /** The first day covered (YYYY-MM-DD). */
    readonly from: string;
    /** The last day covered (YYYY-MM-DD). */
    readonly to: string;
    /** A service's title by id (the id itself when unknown). */
    readonly serviceTitle: (id: string) => string;
}

const percent = (s: Share) => (s.rate === undefined ? '–' : `${Math.round(s.rate * 1000) / 10}%`);
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The measures as JSON, with the period. */
export function reportJson(measures: Measures, context: ReportContext): string {
    return `${JSON.stringify({ council: context.councilName, from: context.from, to: context.to, measures }, null, 2)}\n`;
}

/** The measures as CSV rows: measure, group, key, count, of, rate (a spreadsheet can chart any of them). */
export function reportCsv(measures: Measures): string {
    const rows: (string | number)[][] = [['measure', 'group', 'key', 'count', 'of', 'rate']];
    const add = (measure: string, group: string, key: string, count: number, of: number | '', rate?: number) =>
        rows.push([measure, group, key, count, of, rate === undefined ? '' : Math.round(rate * 10000) / 10000]);
    const addShare = (measure: string, s: Share) => add(measure, 'all', 'all', s.count, s.of, s.rate);
    add('conversations', 'all', 'all', measures.conversations, '');
    addShare('first-point resolution', measures.firstPointResolution);
    addShare('handoff rate', measures.handoff);
    for (const [reason, n] of Object.entries(measures.handoff.reasons)) add('handoff reason', 'reason', reason, n, '');
    addShare('out-of-hours containment', measures.outOfHoursContainment);
    addShare('satisfaction', measures.satisfaction.overall);
    const groups = ['byService', 'byCustomerType', 'byChannel', 'bySite'] as const;
    for (const group of groups) {
        for (const s of measures.satisfaction[group]) add('satisfaction', group, s.key, s.count, s.of, s.rate);
    }
    for (const [service, n] of Object.entries(measures.demand.byService)) add('demand', 'service', service, n, '');
    measures.demand.byHour.forEach((n, hour) => add('demand', 'hour', String(hour), n, ''));
    measures.demand.byWeekday.forEach((n, day) => add('demand', 'weekday', weekdays[day] ?? String(day), n, ''));
    for (const [outcome, n] of Object.entries(measures.caseOutcomes)) add('case outcomes', 'outcome', outcome, n, '');
    const wait = measures.timeToAgent;
    add('time to an agent', 'cases claimed', 'all', wait.claimed, '');
    if (wait.medianMinutes !== undefined) add('time to an agent', 'minutes', 'median', wait.medianMinutes, '');
    if (wait.p90Minutes !== undefined) add('time to an agent', 'minutes', '90th percentile', wait.p90Minutes, '');
    for (const c of measures.unanswered) add('unanswered', 'cluster', c.example, c.count, '');
    const cell = (v: string | number) => {
        if (typeof v === 'number') return String(v);
        // A resident's question that starts like a formula (=, +, -, @, tab, CR) would be run by the spreadsheet
        // the report is opened in (CSV injection): a leading apostrophe keeps it text.
        const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
        return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    };
    return `${rows.map((row) => row.map(cell).join(',')).join('\n')}\n`;
}

/** A horizontal bar chart as inline SVG, described by the table that follows it (every chart has one). */
function barChart(id: string, title: string, bars: readonly { label: string; value: number }[]): string {
    const max = Math.max(1, ...bars.map((b) => b.value));
    const rowHeight = 22;
    const labelWidth = 180;
    const width = 560;
    const body = bars
        .map((bar, i) => {
            const y = i * rowHeight;
            const length = Math.round(((width - labelWidth - 50) * bar.value) / max);
            return `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(bar.label.slice(0, 28))}</text>
<rect x="${labelWidth}" y="${y + 3}" width="${length}" height="${rowHeight - 6}"></rect>
<text x="${labelWidth + length + 4}" y="${y + 15}">${bar.value}</text>`;
        })
        .join('\n');
    return `<figure>
<figcaption id="${id}-title">${escapeHtml(title)}</figcaption>
<svg class="chart" viewBox="0 0 ${width} ${Math.max(rowHeight, bars.length * rowHeight)}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-table">
${body}
</svg>
</figure>`;
}

function table(id: string, caption: string, headings: readonly string[], rows: readonly (string | number)[][]): string {
    if (rows.length === 0) return `<p>${escapeHtml(caption)}: none in this period.</p>`;
    return `<table id="${id}-table">
<caption>${escapeHtml(caption)}</caption>
<thead><tr>${headings.map((h, i) => `<th scope="col"${i > 0 ? ' class="number"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((row) => `<tr>${row.map((v, i) => (i === 0 ? `<th scope="row">${escapeHtml(String(v))}</th>` : `<td class="number">${escapeHtml(String(v))}</td>`)).join('')}</tr>`).join('\n')}
</tbody>
</table>`;
}

/** A chart and its data table. */
function chartWithTable(id: string, title: string, heading: string, bars: readonly { label: string; value: number }[]) {
    if (bars.length === 0) return table(id, title, [heading, 'Count'], []);
    return `${barChart(id, title, bars)}
${table(
    id,
    title,
    [heading, 'Count'],
    bars.map((b) => [b.label, b.value]),
)}`;
}

const style = `
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 0 auto; padding: 1rem; max-width: 50rem; line-height: 1.5; }
h1 { font-size: 2rem; margin-bottom: 0.25rem; }
.headline { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.headline li { border-left: 5px solid #1d70b8; padding: 0.25rem 0.75rem; min-width: 11rem; }
.headline strong { display: block; font-size: 1.75rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
.number { text-align: right; }
figure { margin: 1rem 0 0; }
figcaption { font-weight: bold; }
.chart { width: 100%; height: auto; font-size: 12px; }
.chart rect { fill: #1d70b8; }
.chart text { fill: #0b0c0c; }
@media print { body { max-width: none; } section { break-inside: avoid; } }
`;

/**
 * The insight report as one self-contained, accessible HTML page: the headline measures, then each breakdown as a
 * chart with its data table. No scripts, no external files: it can be emailed, archived and printed.
 */
export function reportHtml(measures: Measures, context: ReportContext, options: { nonce?: string } = {}): string {
    const m = measures;
    const headline = [
        ['Conversations', String(m.conversations)],
        ['First-point resolution', percent(m.firstPointResolution)],
        ['Handed to a person', percent(m.handoff)],
        ['Contained out of hours', percent(m.outOfHoursContainment)],
        ['Rated helpful', percent(m.satisfaction.overall)],
    ];
    const services = Object.entries(m.demand.byService)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([id, n]) => ({ label: context.serviceTitle(id), value: n }));
    const waits: (string | number)[][] =
        m.timeToAgent.claimed === 0
            ? []
            : [
                  ['Cases claimed', m.timeToAgent.claimed],
                  ['Median minutes', m.timeToAgent.medianMinutes ?? '–'],
                  ['90th percentile minutes', m.timeToAgent.p90Minutes ?? '–'],
              ];
    const satisfactionRows = (list: typeof m.satisfaction.byService, name: (key: string) => string) =>
        list.map((s) => [name(s.key), s.count, s.of, percent(s)]);
    return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Assistant insight ${escapeHtml(context.from)} to ${escapeHtml(context.to)} – ${escapeHtml(context.councilName)}</title>
<style${options.nonce ? ` nonce="${escapeHtml(options.nonce)}"` : ''}>${style}</style>
</head>
<body>
<main>
<h1>Assistant insight</h1>
<p>${escapeHtml(context.councilName)}, ${escapeHtml(context.from)} to ${escapeHtml(context.to)}. The measures are defined in the assistant's README.</p>
<section aria-labelledby="headline">
<h2 id="headline">Headline measures</h2>
<ul class="headline">
${headline.map(([label, value]) => `<li><strong>${escapeHtml(value ?? '')}</strong>${escapeHtml(label ?? '')}</li>`).join('\n')}
</ul>
${table(
    'headline-figures',
    'Headline measures in numbers',
    ['Measure', 'Count', 'Of', 'Rate'],
    [
        [
            'First-point resolution',
            m.firstPointResolution.count,
            m.firstPointResolution.of,
            percent(m.firstPointResolution),
        ],
        ['Handed to a person', m.handoff.count, m.handoff.of, percent(m.handoff)],
        [
            'Contained out of hours',
            m.outOfHoursContainment.count,
            m.outOfHoursContainment.of,
            percent(m.outOfHoursContainment),
        ],
        ['Rated helpful', m.satisfaction.overall.count, m.satisfaction.overall.of, percent(m.satisfaction.overall)],
    ],
)}
</section>
<section aria-labelledby="demand">
<h2 id="demand">Demand</h2>
${chartWithTable('by-service', 'Answers by service (the 15 most asked)', 'Service', services)}
${chartWithTable(
    'by-hour',
    'Questions by hour of the day',
    'Hour',
    m.demand.byHour.map((n, h) => ({ label: `${String(h).padStart(2, '0')}:00`, value: n })),
)}
${chartWithTable(
    'by-weekday',
    'Questions by day of the week',
    'Day',
    m.demand.byWeekday.map((n, d) => ({ label: weekdays[d] ?? String(d), value: n })),
)}
</section>
<section aria-labelledby="satisfaction">
<h2 id="satisfaction">Satisfaction</h2>
${table('satisfaction-service', 'Rated helpful, by service', ['Service', 'Helpful', 'Rated', 'Rate'], satisfactionRows(m.satisfaction.byService, context.serviceTitle))}
${table(
    'satisfaction-customer',
    'Rated helpful, by type of customer',
    ['Customer', 'Helpful', 'Rated', 'Rate'],
    satisfactionRows(m.satisfaction.byCustomerType, (k) => k),
)}
${table(
    'satisfaction-channel',
    'Rated helpful, by channel',
    ['Channel', 'Helpful', 'Rated', 'Rate'],
    satisfactionRows(m.satisfaction.byChannel, (k) => k),
)}
${table(
    'satisfaction-site',
    'Rated helpful, by partner site',
    ['Site', 'Helpful', 'Rated', 'Rate'],
    satisfactionRows(m.satisfaction.bySite, (k) => k),
)}
</section>
<section aria-labelledby="people">
<h2 id="people">Handoffs and cases</h2>
${table(
    'handoff-reasons',
    'Why a person was offered',
    ['Reason', 'Count'],
    Object.entries(m.handoff.reasons).map(([k, n]) => [k, n]),
)}
${table(
    'case-outcomes',
    'How agents closed cases',
    ['Outcome', 'Count'],
    Object.entries(m.caseOutcomes).map(([k, n]) => [k, n]),
)}
${table('time-to-agent', 'Time to an agent (minutes from the case to an agent claiming it)', ['Measure', 'Value'], waits)}
</section>
<section aria-labelledby="backlog">
<h2 id="backlog">Questions the assistant could not answer</h2>
${table(
    'unanswered',
    'Similar questions grouped, largest first (personal details removed)',
    ['Example', 'Times asked'],
    m.unanswered.slice(0, 50).map((c) => [c.example, c.count]),
)}
</section>
</main>
</body>
</html>
`;
}
