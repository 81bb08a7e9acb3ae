import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';

/** The replies of a turn, held back until the turn's state is saved. */
export interface ReplyHold {
    /** Forgets what is held (the attempt that produced it is being run again). */
    discard(): void;
    /** Sends what is held, in order, and lets later replies through at once. */
    release(): Promise<void>;
}

/**
 * Holds back every reply the turn sends from now on: a turn that loses a race on its state is run again, and
 * the resident must see only the replies of the attempt that counted. `seen` hears each batch as it is held.
 */
export function holdReplies(
    context: TurnContext,
    seen: (activities: readonly Partial<Activity>[]) => Promise<void>,
): ReplyHold {
    let held: Partial<Activity>[] = [];
    let released = false;
    context.onSendActivities(async (_context, activities, next): Promise<ResourceResponse[]> => {
        if (released) return next();
        await seen(activities);
        held.push(...activities);
        // Nothing in this bot uses the ids of what it sent; the channel assigns the real ones on release.
        return activities.map(() => ({ id: '' }));
    });
    return {
        discard: () => {
            held = [];
        },
        release: async () => {
            released = true;
            const batch = held;
            held = [];
            if (batch.length > 0) await context.sendActivities(batch);
        },
    };
}
