import type { BotReply } from './resident';

/** A message and the bot's answer to it. */
export interface Turn {
    /** The bot's replies; through Direct Line, later replies of the same turn are added as they arrive. */
    readonly replies: BotReply[];
    /** From sending the message to the first reply. */
    readonly latencyMs: number;
}

/** One resident's conversation with the bot, through one channel. */
export interface SoakConversation {
    /** Starts it; resolves with the welcome. */
    open(): Promise<BotReply[]>;
    /** Sends a message and resolves when the bot's first reply to it has arrived. */
    say(text: string): Promise<Turn>;
    /** Leaves, as a resident closing the page does. */
    close(): void;
}

/** A bot activity as a resident reads it. */
export function readReply(activity: {
    text?: string;
    suggestedActions?: { actions?: { value?: unknown; title?: string }[] };
}): BotReply {
    const actions = (activity.suggestedActions?.actions ?? []).map((a) =>
        typeof a.value === 'string' ? a.value : (a.title ?? ''),
    );
    return { text: activity.text ?? '', actions };
}
