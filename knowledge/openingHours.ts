import type { Council, WeekHours } from './schema';

const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** Whether the council is open at a moment, and when that changes. */
export type OpeningStatus =
    | { readonly open: true; readonly closes: string }
    | { readonly open: false; readonly opens: NextOpening | undefined };

/** The next opening: in how many days (0 = today), the weekday and the time. */
export interface NextOpening {
    readonly inDays: number;
    readonly weekday: (typeof days)[number];
    readonly time: string;
}

export interface LocalTime {
    readonly date: string;
    readonly weekday: number;
    readonly minutes: number;
}

/** The calendar date, weekday (0 = Sunday) and minutes after midnight of a moment, in a time zone. */
export function localTime(at: Date, timezone: string): LocalTime {
    const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-GB', {
            timeZone: timezone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
            weekday: 'short',
        })
            .formatToParts(at)
            .map((p) => [p.type, p.value]),
    );
    const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? '');
    return {
        date: `${parts.year}-${parts.month}-${parts.day}`,
        weekday,
        minutes: Number(parts.hour) * 60 + Number(parts.minute),
    };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function periodsOn(council: Council, hours: WeekHours, date: string, weekday: number) {
    const day = council.bankHolidays.includes(date)
        ? hours.bankHolidays
        : hours[days[weekday] as (typeof days)[number]];
    return day === 'closed' ? [] : day;
}

/**
 * Says whether the council's contact centre (or other `hours`, such as live chat's) is open at `at`, in the
 * council's own time zone.
 */
export function openingStatus(
    council: Council,
    at: Date = new Date(),
    hours: WeekHours = council.openingHours,
): OpeningStatus {
    const now = localTime(at, council.timezone);
    for (const period of periodsOn(council, hours, now.date, now.weekday)) {
        if (now.minutes >= toMinutes(period.opens) && now.minutes < toMinutes(period.closes)) {
            return { open: true, closes: period.closes };
        }
    }
    // Look ahead up to two weeks for the next opening (bank holidays can close several days in a row). Days
    // are counted on the calendar, not in 24-hour steps, so a clock change cannot skip or repeat one.
    const [year, month, dayOfMonth] = now.date.split('-').map(Number) as [number, number, number];
    for (let offset = 0; offset < 14; offset++) {
        const day = new Date(Date.UTC(year, month - 1, dayOfMonth + offset));
        const date = day.toISOString().slice(0, 10);
        const next = periodsOn(council, hours, date, day.getUTCDay()).find(
            (p) => offset > 0 || toMinutes(p.opens) > now.minutes,
        );
        if (next)
            return {
                open: false,
                opens: { inDays: offset, weekday: days[day.getUTCDay()] ?? 'monday', time: next.opens },
            };
    }
    return { open: false, opens: undefined };
}
