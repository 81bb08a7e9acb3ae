/** A clock that moves only when told, so retry times are exact and nothing waits for real time. */
export function fakeClock(start = new Date('2026-11-23T10:00:00.000Z')) {
    let time = start.getTime();
    return {
        now: () => new Date(time),
        advance: (ms: number) => void (time += ms),
    };
}
