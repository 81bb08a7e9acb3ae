import type { Case, CaseDetails } from './case';

// Continuation lines line up under the text, so a resident's multi-line message stays readable and no line they
// typed starts at the margin to pass for one of the summary's own ("Priority: urgent"). Any break a mail client may
// honour counts: CR alone, vertical tab, form feed, NEL, and the Unicode line and paragraph separators.
// Other control characters (BEL, ESC …) mean nothing in a summary and a terminal mail reader could act on them.
const indent = (text: string, by = '    ') =>
    text
        .replace(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/g, `\n${by}`)
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '\ufffd');

// 2025-01-01T09:00:00.000Z → 2025-01-01 09:00 UTC: unambiguous whichever time zone the reader's mail client uses.
const readableTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function flagsText(c: Case): string {
    const flags = [
        c.flags.vulnerable && 'vulnerable',
        c.flags.safetyRule && `safety rule "${c.flags.safetyRule}"`,
        c.flags.automated && `possibly automated (${c.flags.automated})`,
    ].filter(Boolean);
    return flags.length > 0 ? flags.join(', ') : 'none';
}

/** How the resident wants to hear back, for staff: "phone", "email", or "live chat, then email" (the fallback). */
export function contactPreference(details: CaseDetails): string {
    if (details.contactMethod !== 'chat') return details.contactMethod;
    return `live chat, then ${details.phone ? 'phone' : 'email'} if it ends unresolved`;
}

/** The plain-text summary of a case a person reads first (an email body, the webhook's `summary` field). */
export function formatCaseSummary(c: Case): string {
    const { details } = c;
    const lines = [
        `Case ${c.reference}${c.priority === 'urgent' ? ' (URGENT)' : ''}`,
        '',
        `Received: ${readableTime(c.createdAt)}`,
        `Team: ${c.team}`,
        `Service: ${c.serviceTitle ? `${c.serviceTitle}${c.serviceId ? ` (${c.serviceId})` : ''}` : 'not about one service'}`,
        `Priority: ${c.priority}`,
        `Flags: ${flagsText(c)}`,
        `Channel: ${c.channel}${c.site ? ` (partner site: ${c.site})` : ''}`,
        `Language: ${c.language}`,
        '',
        "Resident's words:",
        `    ${indent(c.residentWords || '(none)')}`,
        '',
        'What the assistant answered:',
        `    ${indent(c.assistantAnswer ?? '(nothing: the resident was passed to a person)')}`,
        '',
        'Details:',
        `    Name: ${indent(details.name, '          ')}`,
        `    Prefers: ${contactPreference(details)}`,
        ...(details.phone ? [`    Phone: ${details.phone}`] : []),
        ...(details.email ? [`    Email: ${details.email}`] : []),
        ...(details.address ? [`    Address: ${indent(details.address, '             ')}`] : []),
        `    Agreed to share these details: ${details.consent ? 'yes' : 'no'}`,
        '',
        'Conversation:',
        ...(c.transcript.length > 0
            ? c.transcript.map((line) => {
                  const prefix = `    ${line.at.slice(11, 16)} ${line.from}: `;
                  return `${prefix}${indent(line.text, ' '.repeat(prefix.length))}`;
              })
            : ['    (not recorded)']),
    ];
    return `${lines.join('\n')}\n`;
}
