const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** How long a case has waited, in the two largest units: "3 minutes", "2 hours 5 minutes", "1 day 4 hours". */
export function formatWaiting(milliseconds: number): string {
    if (milliseconds < minute) return 'less than a minute';
    if (milliseconds < hour) return plural(Math.floor(milliseconds / minute), 'minute');
    if (milliseconds < day) {
        const minutes = Math.floor((milliseconds % hour) / minute);
        return `${plural(Math.floor(milliseconds / hour), 'hour')}${minutes ? ` ${plural(minutes, 'minute')}` : ''}`;
    }
    const hours = Math.floor((milliseconds % day) / hour);
    return `${plural(Math.floor(milliseconds / day), 'day')}${hours ? ` ${plural(hours, 'hour')}` : ''}`;
}
