import type { Knowledge } from '../../knowledge/loader';
import { localise } from '../../knowledge/localise';
import type { InsightStore } from './insightEvent';
import { computeMeasures, type Measures } from './measures';
import type { ReportContext } from './reportFormats';

/** The measures of a period of whole days (UTC, both included), with what a report needs to show them. */
export async function periodMeasures(
    store: InsightStore,
    knowledge: Knowledge,
    from: string,
    to: string,
): Promise<{ measures: Measures; context: ReportContext; events: number }> {
    const end = new Date(`${to}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    const events = await store.between(new Date(`${from}T00:00:00Z`), end);
    const titles = new Map(knowledge.services.map((s) => [s.id, localise(s.title)]));
    return {
        measures: computeMeasures(events, knowledge.council),
        context: { councilName: knowledge.council.name, from, to, serviceTitle: (id) => titles.get(id) ?? id },
        events: events.length,
    };
}
