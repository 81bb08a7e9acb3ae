import type { Case } from '../handoff/case';
import { consolePage } from './consolePage';
import { escapeHtml } from './escapeHtml';
import { formatWaiting } from './formatWaiting';

/** What the queue page shows. */
export interface QueueView {
    readonly agentName: string;
    readonly csrf: string;
    /** Already in order: urgent first, then the longest waiting. */
    readonly cases: readonly Case[];
    /** The team's name when the queue is one team's; undefined for every team. */
    readonly teamName: string | undefined;
    readonly teamNames: ReadonlyMap<string, string>;
    readonly now: Date;
    /** A confirmation of what the agent just did. */
    readonly notice?: string;
}

/** How the resident is waiting to hear: a resident waiting in a live chat stands out. */
function contactBy(c: Case): string {
    if (c.chat === 'waiting') return '<strong class="tag tag-chat">Live chat, waiting now</strong>';
    const followUp = c.details.phone ? 'Phone' : c.details.email ? 'Email' : c.details.contactMethod;
    return escapeHtml(c.chat ? `${followUp} (the chat has ended)` : followUp);
}

function row(c: Case, view: QueueView): string {
    const waited = formatWaiting(view.now.getTime() - new Date(c.createdAt).getTime());
    const priority =
        c.priority === 'urgent'
            ? '<strong class="tag tag-urgent">Urgent</strong>'
            : c.flags.automated
              ? '<strong class="tag">Check: possibly automated</strong>'
              : '<span class="tag">Normal</span>';
    return `<tr>
    <th scope="row"><a href="/agent/cases/${encodeURIComponent(c.reference)}">${escapeHtml(c.reference)}</a></th>
    <td>${priority}</td>
    <td>${escapeHtml(c.serviceTitle ?? 'Not about one service')}</td>
    <td>${escapeHtml(view.teamNames.get(c.team) ?? c.team)}</td>
    <td>${contactBy(c)}</td>
    <td>${escapeHtml(waited)}</td>
</tr>`;
}

/** The waiting cases an agent may take, as a table. */
export function queuePage(view: QueueView): string {
    const whose = view.teamName ? escapeHtml(view.teamName) : 'all teams';
    const notice = view.notice ? `<div class="notice" role="status"><p>${escapeHtml(view.notice)}</p></div>` : '';
    const table =
        view.cases.length === 0
            ? '<p>No cases are waiting.</p>'
            : `<table>
    <caption>${view.cases.length} waiting, urgent first, then the longest waiting</caption>
    <thead><tr>
        <th scope="col">Reference</th>
        <th scope="col">Priority</th>
        <th scope="col">Service</th>
        <th scope="col">Team</th>
        <th scope="col">Contact by</th>
        <th scope="col">Waiting</th>
    </tr></thead>
    <tbody>
${view.cases.map((c) => row(c, view)).join('\n')}
    </tbody>
</table>`;
    return consolePage({
        title: 'Queue',
        signedIn: { name: view.agentName, csrf: view.csrf },
        // agent.js refreshes the queue when cases arrive or are taken, and says so in the status line.
        main: `${notice}
<h1>Queue: ${whose}</h1>
<p id="queue-status" role="status"></p>
<div id="queue" data-events="/agent/queue/events">
${table}
</div>`,
    });
}
