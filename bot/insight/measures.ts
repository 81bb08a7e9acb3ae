import { localTime, openingStatus } from '../../knowledge/openingHours';
import type { Council } from '../../knowledge/schema';
import type { InsightEvent } from './insightEvent';

/** A share: how many of how many, and the rate (undefined when there is nothing to divide by). */
export interface Share {
    readonly count: number;
    readonly of: number;
    readonly rate: number | undefined;
}

/** Answers rated helpful, of those rated, for one group (a service, a customer type, a channel, a site). */
export interface Satisfaction extends Share {
    readonly key: string;
}

/** Unanswered questions with similar wording: how many, and one (redacted) example. */
export interface QuestionCluster {
    readonly count: number;
    readonly example: string;
    readonly words: readonly string[];
}

/** Every measure of a period, as the report and the dashboard show them (definitions in the README). */
export interface Measures {
    readonly conversations: number;
    readonly firstPointResolution: Share;
    readonly handoff: Share & { readonly reasons: Readonly<Record<string, number>> };
    readonly outOfHoursContainment: Share;
    readonly satisfaction: {
        readonly overall: Share;
        readonly byService: readonly Satisfaction[];
        readonly byCustomerType: readonly Satisfaction[];
        readonly byChannel: readonly Satisfaction[];
        readonly bySite: readonly Satisfaction[];
    };
    readonly demand: {
        readonly byService: Readonly<Record<string, number>>;
        /** Questions by hour of the day (0–23), in the council's time zone. */
        readonly byHour: readonly number[];
        /** Questions by day of the week (0 = Sunday), in the council's time zone. */
        readonly byWeekday: readonly number[];
    };
    readonly caseOutcomes: Readonly<Record<string, number>>;
    /** Minutes from a case being made to an agent claiming it: how many were claimed, the median and the 90th. */
    readonly timeToAgent: {
        readonly claimed: number;
        readonly medianMinutes: number | undefined;
        readonly p90Minutes: number | undefined;
    };
    readonly unanswered: readonly QuestionCluster[];
}

const share = (count: number, of: number): Share => ({ count, of, rate: of > 0 ? count / of : undefined });

/** Groups events by conversation, keeping their order. */
function byConversation(events: readonly InsightEvent[]): Map<string, InsightEvent[]> {
    const groups = new Map<string, InsightEvent[]>();
    for (const event of events) {
        const list = groups.get(event.conversation) ?? [];
        list.push(event);
        groups.set(event.conversation, list);
    }
    return groups;
}

/**
 * Resolved by the assistant: it answered at least once, no case was made, and no answer was rated unhelpful.
 */
function resolvedByAssistant(events: readonly InsightEvent[]): boolean {
    return (
        events.some((e) => e.kind === 'turn' && e.outcome === 'answer') &&
        !events.some((e) => e.kind === 'case') &&
        !events.some((e) => e.kind === 'feedback' && e.helpful === false)
    );
}

function satisfactionBy(
    feedback: readonly InsightEvent[],
    key: (e: InsightEvent) => string | undefined,
): Satisfaction[] {
    const groups = new Map<string, { helpful: number; rated: number }>();
    for (const event of feedback) {
        const k = key(event);
        if (k === undefined) continue;
        const group = groups.get(k) ?? { helpful: 0, rated: 0 };
        group.rated += 1;
        if (event.helpful) group.helpful += 1;
        groups.set(k, group);
    }
    return [...groups.entries()]
        .map(([k, g]) => ({ key: k, ...share(g.helpful, g.rated) }))
        .sort((a, b) => b.of - a.of || a.key.localeCompare(b.key));
}

function count<T extends string>(values: readonly (T | undefined)[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const value of values) if (value !== undefined) counts[value] = (counts[value] ?? 0) + 1;
    return counts;
}

const stopWords = new Set(
    'a an and are at be can do does for from have how i in is it me my of on or please the there this to what when where which who why will with you your'.split(
        ' ',
    ),
);

/** The meaningful words of a (redacted) question, for grouping similar wording. */
export function questionWords(text: string): string[] {
    return [
        ...new Set(
            text
                .toLowerCase()
                .replace(/\[[a-z]+\]/g, ' ')
                .split(/[^a-z0-9']+/)
                .map((w) => w.replace(/'/g, ''))
                .filter((w) => w.length > 2 && !stopWords.has(w)),
        ),
    ];
}

/**
 * Groups unanswered questions whose meaningful words overlap by at least `similarity` (Jaccard), largest groups
 * first: the knowledge backlog, with a count and an example each.
 */
export function clusterQuestions(texts: readonly string[], similarity = 0.5): QuestionCluster[] {
    const clusters: { words: Set<string>; count: number; example: string }[] = [];
    for (const text of texts) {
        const words = new Set(questionWords(text));
        if (words.size === 0) continue;
        const home = clusters.find((c) => {
            const shared = [...words].filter((w) => c.words.has(w)).length;
            return shared / (words.size + c.words.size - shared) >= similarity;
        });
        if (home) {
            home.count += 1;
        } else {
            clusters.push({ words, count: 1, example: text });
        }
    }
    return clusters
        .sort((a, b) => b.count - a.count)
        .map((c) => ({ count: c.count, example: c.example, words: [...c.words] }));
}

/** The nearest-rank percentile `p` (0–100) of sorted values. */
function percentile(sorted: readonly number[], p: number): number | undefined {
    if (sorted.length === 0) return undefined;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function timeToAgent(events: readonly InsightEvent[]): Measures['timeToAgent'] {
    const waits = events
        .filter((e) => e.kind === 'caseClaimed' && e.waitedMinutes !== undefined)
        .map((e) => e.waitedMinutes ?? 0)
        .sort((a, b) => a - b);
    return { claimed: waits.length, medianMinutes: percentile(waits, 50), p90Minutes: percentile(waits, 90) };
}

/** Computes every measure from a period's events. */
export function computeMeasures(events: readonly InsightEvent[], council: Council): Measures {
    const conversations = byConversation(events);
    const engaged = [...conversations.values()].filter((list) => list.some((e) => e.kind === 'turn'));
    const resolved = engaged.filter(resolvedByAssistant);
    const handedOff = engaged.filter((list) =>
        list.some((e) => e.kind === 'case' || (e.kind === 'turn' && e.outcome === 'handoff')),
    );
    const outOfHours = engaged.filter((list) => {
        const first = list[0];
        return first !== undefined && !openingStatus(council, new Date(first.at)).open;
    });
    const turns = events.filter((e) => e.kind === 'turn');
    const feedback = events.filter((e) => e.kind === 'feedback');
    const byHour = Array.from({ length: 24 }, () => 0);
    const byWeekday = Array.from({ length: 7 }, () => 0);
    for (const turn of turns) {
        const local = localTime(new Date(turn.at), council.timezone);
        const hour = Math.floor(local.minutes / 60);
        byHour[hour] = (byHour[hour] ?? 0) + 1;
        byWeekday[local.weekday] = (byWeekday[local.weekday] ?? 0) + 1;
    }
    return {
        conversations: engaged.length,
        firstPointResolution: share(resolved.length, engaged.length),
        handoff: {
            ...share(handedOff.length, engaged.length),
            reasons: count(turns.filter((e) => e.outcome === 'handoff').map((e) => e.reason ?? 'unknown')),
        },
        outOfHoursContainment: share(outOfHours.filter(resolvedByAssistant).length, outOfHours.length),
        satisfaction: {
            overall: share(feedback.filter((e) => e.helpful).length, feedback.length),
            byService: satisfactionBy(feedback, (e) => e.serviceId),
            byCustomerType: satisfactionBy(feedback, (e) => e.customerType),
            byChannel: satisfactionBy(feedback, (e) => e.channel),
            bySite: satisfactionBy(feedback, (e) => e.site),
        },
        demand: {
            byService: count(turns.filter((e) => e.outcome === 'answer').map((e) => e.serviceId)),
            byHour,
            byWeekday,
        },
        caseOutcomes: count(events.filter((e) => e.kind === 'caseClosed').map((e) => e.caseOutcome)),
        timeToAgent: timeToAgent(events),
        unanswered: clusterQuestions(
            events.filter((e) => e.kind === 'turn' && e.outcome === 'not-known' && e.text).map((e) => e.text ?? ''),
        ),
    };
}
