/**
 * A moment as the council's staff read it: their own local time, e.g. "25 Nov 2026, 14:05" (Europe/London is
 * GMT in winter and BST in summer, so UTC would be an hour out half the year).
 */
export function formatCouncilTime(iso: string, timezone: string): string {
    return new Intl.DateTimeFormat('en-GB', {
        timeZone: timezone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
    }).format(new Date(iso));
}
