import type { Case, CaseOutcome } from '../handoff/case';
import { contactPreference } from '../handoff/caseSummary';
import { consolePage } from './consolePage';
import { escapeHtml } from './escapeHtml';
import { formatCouncilTime } from './formatTime';
import { agentMessageLimit } from './limits';

/** The outcomes an agent can close a case with, as the close form labels them. */
export const outcomeLabels: Readonly<Record<CaseOutcome, string>> = {
    resolved: 'Resolved',
    callback: 'Callback needed',
    referred: 'Referred',
};

/** What the case page shows. */
export interface CaseView {
    readonly agentName: string;
    readonly username: string;
    readonly csrf: string;
    readonly case: Case;
    readonly teamName: string;
    /** The display name of whoever claimed the case. */
    readonly claimedByName: string | undefined;
    /** The council's time zone, for every time shown. */
    readonly timezone: string;
    /** A message the agent typed that could not be sent, to try again without retyping it. */
    readonly draft?: string;
    /** A problem with what the agent just tried (shown as an alert). */
    readonly problem?: string;
}

// Line breaks a resident typed stay visible; everything else is escaped text.
const paragraphs = (text: string) => `<p class="typed">${escapeHtml(text)}</p>`;

function summaryRow(label: string, value: string | undefined): string {
    return value === undefined ? '' : `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

function flags(c: Case): string {
    const list = [
        c.flags.vulnerable && 'vulnerable',
        c.flags.safetyRule && `safety rule "${c.flags.safetyRule}"`,
        c.flags.automated && `possibly automated (${c.flags.automated})`,
    ];
    const present = list.filter((f): f is string => typeof f === 'string');
    return present.length > 0 ? present.join(', ') : 'none';
}

function actions(view: CaseView): string {
    const c = view.case;
    const base = `/agent/cases/${encodeURIComponent(c.reference)}`;
    const csrf = `<input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">`;
    if (c.status === 'queued') {
        return `<form method="post" action="${base}/claim">
    ${csrf}
    <button type="submit" class="button">Claim this case</button>
</form>`;
    }
    if (c.status === 'claimed' && c.claimedBy === view.username) {
        const radios = (Object.entries(outcomeLabels) as [CaseOutcome, string][])
            .map(
                ([value, label]) => `<div class="radio">
        <input id="outcome-${value}" name="outcome" type="radio" value="${value}" required>
        <label for="outcome-${value}">${escapeHtml(label)}</label>
    </div>`,
            )
            .join('\n    ');
        return `<p>You have claimed this case.</p>
<form method="post" action="${base}/close">
    ${csrf}
    <fieldset>
        <legend>How did it end?</legend>
    ${radios}
    </fieldset>
    <button type="submit" class="button">Close the case</button>
</form>`;
    }
    if (c.status === 'claimed') return `<p>Taken by ${escapeHtml(view.claimedByName ?? 'another agent')}.</p>`;
    return `<p>Closed${c.outcome ? `: ${escapeHtml(outcomeLabels[c.outcome])}` : ''}.</p>`;
}

/** What the agent reads about a case's live chat, or undefined for a case without one. */
export function chatStatus(c: Case, username: string, claimedByName: string | undefined): string | undefined {
    switch (c.chat) {
        case 'waiting':
            return 'The resident is waiting in the chat. Claim the case to join them.';
        case 'connected':
            return c.claimedBy === username
                ? 'Live chat: the resident sees what you send here.'
                : `In a live chat with ${claimedByName ?? 'another agent'}.`;
        case 'ended':
            return 'The live chat has ended.';
        case 'timedOut':
            return 'Nobody joined the chat in time: the resident was told the team will phone or email them.';
        default:
            return undefined;
    }
}

/** What the agent must know at once when a safety rule fired for the case, or undefined. */
export function safetyAlert(c: Case): string | undefined {
    return c.flags.safetyRule
        ? `Urgent: the resident's words matched the safety rule "${c.flags.safetyRule}". They were given the emergency contacts shown in the conversation.`
        : undefined;
}

function conversation(view: CaseView): string {
    const c = view.case;
    const base = `/agent/cases/${encodeURIComponent(c.reference)}`;
    const status = chatStatus(c, view.username, view.claimedByName);
    const live = c.chat === 'waiting' || c.chat === 'connected';
    const lines = c.transcript
        .map(
            (line) =>
                `<li><span class="transcript-who">${escapeHtml(line.from)}, ${escapeHtml(formatCouncilTime(line.at, view.timezone))}</span>
${paragraphs(line.text)}</li>`,
        )
        .join('\n');
    // The page's script (agent.js) adds new lines as they arrive; without it, the agent reloads the page.
    const log = `<div id="chat-log" role="log" aria-labelledby="chat"${live ? ` data-events="${base}/events?after=${c.transcript.length}"` : ''}>
${c.transcript.length === 0 && !live ? '<p>Not recorded.</p>' : ''}<ol class="transcript">
${lines}
</ol>
</div>`;
    const canWrite = c.status === 'claimed' && c.claimedBy === view.username && c.chat === 'connected';
    const form = canWrite
        ? `<form method="post" action="${base}/messages" id="chat-form">
    <input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">
    <div class="field">
        <label for="chat-message">Message to the resident</label>
        <p id="chat-error" class="error-message" role="alert" hidden></p>
        <textarea id="chat-message" name="text" rows="3" maxlength="${agentMessageLimit}" required aria-describedby="chat-error">${escapeHtml(view.draft ?? '')}</textarea>
    </div>
    <button type="submit" class="button">Send</button>
</form>`
        : '';
    return `<h2 id="chat">Conversation</h2>
${status ? `<p id="chat-status" role="status">${escapeHtml(status)}</p>` : ''}
${log}
${form}`;
}

/** One case, readable top to bottom: details, the resident's words, the assistant's answer, the conversation. */
export function casePage(view: CaseView): string {
    const c = view.case;
    const d = c.details;
    const problem = view.problem
        ? `<div class="error-summary" role="alert" tabindex="-1"><p>${escapeHtml(view.problem)}</p></div>`
        : '';
    const alert = safetyAlert(c);
    return consolePage({
        title: `Case ${c.reference}`,
        signedIn: { name: view.agentName, csrf: view.csrf },
        main: `<p><a href="/agent">Back to the queue</a></p>
${problem}
<h1>Case ${escapeHtml(c.reference)}${c.priority === 'urgent' ? ' <strong class="tag tag-urgent">Urgent</strong>' : ''}</h1>
<div id="safety-alert" class="warning" role="alert"${alert ? '' : ' hidden'}><p>${escapeHtml(alert ?? '')}</p></div>
<h2>Details</h2>
<dl class="summary">
    ${summaryRow('Received', formatCouncilTime(c.createdAt, view.timezone))}
    ${summaryRow('Status', c.status)}
    ${summaryRow('Priority', c.priority)}
    ${summaryRow('Service', c.serviceTitle ?? 'Not about one service')}
    ${summaryRow('Team', view.teamName)}
    ${summaryRow('Flags', flags(c))}
    ${summaryRow('Channel', c.site ? `${c.channel} (partner site: ${c.site})` : c.channel)}
    ${summaryRow('Name', d.name)}
    ${summaryRow('Prefers', contactPreference(d))}
    ${summaryRow('Phone', d.phone)}
    ${summaryRow('Email', d.email)}
    ${summaryRow('Address', d.address)}
    ${summaryRow('Agreed to share these details', d.consent ? 'yes' : 'no')}
</dl>
<h2>Actions</h2>
${actions(view)}
<h2>The resident's words</h2>
${paragraphs(c.residentWords || '(none)')}
<h2>What the assistant answered</h2>
${paragraphs(c.assistantAnswer ?? '(nothing: the resident was passed to a person)')}
${conversation(view)}`,
    });
}
