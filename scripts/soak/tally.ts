/** How a message or a conversation failed. */
export type FailureKind = 'http' | 'timeout' | 'socket' | 'bot-apology' | 'protocol' | 'unexpected';

/** A failure the soak counts: the run passes only with none. */
export class SoakFailure extends Error {
    constructor(
        readonly kind: FailureKind,
        message: string,
    ) {
        super(message);
        this.name = 'SoakFailure';
    }
}

/** Which way a conversation reached the bot. */
export type Transport = 'directLine' | 'messages';

/** Counts for one stretch of a run (the warm-up, the measured window, or one progress interval). */
export class Tally {
    conversationsStarted = 0;
    readonly conversationsBy: Record<Transport, number> = { directLine: 0, messages: 0 };
    conversationsEnded = 0;
    casesCreated = 0;
    messages = 0;
    /** Messages the bot answered (at least one reply, in time). */
    replies = 0;
    /** Activities from the bot, welcomes included. */
    botActivities = 0;
    readonly messagesBy: Record<Transport, number> = { directLine: 0, messages: 0 };
    readonly errors: Record<FailureKind, number> = {
        http: 0,
        timeout: 0,
        socket: 0,
        'bot-apology': 0,
        protocol: 0,
        unexpected: 0,
    };
    /** The first few failures, to say what went wrong. */
    readonly examples: string[] = [];
    /** Milliseconds from sending a message to the bot's first reply, per message. */
    readonly latencies: number[] = [];
    readonly latenciesBy: Record<Transport, number[]> = { directLine: [], messages: [] };

    get errorCount(): number {
        return Object.values(this.errors).reduce((sum, n) => sum + n, 0);
    }

    fail(error: unknown, where: string): void {
        // Anything but a SoakFailure is a fault in the soak itself, and still fails the run.
        const kind = error instanceof SoakFailure ? error.kind : 'unexpected';
        this.errors[kind] += 1;
        if (this.examples.length < 20) {
            this.examples.push(`${where}: ${kind}: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    answered(transport: Transport, latencyMs: number): void {
        this.replies += 1;
        this.latencies.push(latencyMs);
        this.latenciesBy[transport].push(latencyMs);
    }
}
