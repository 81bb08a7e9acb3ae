import { loadMessageMix } from './messageMix';
import { inParallel, postMessage, ReplyStream, startConversation } from './directLineClient';
import { startApp } from './servers';
import type { BenchSettings } from './settings';
import { summariseLatency, type LatencySummary } from './stats';

/** Section 3's figures. */
export interface DirectLineResult {
    readonly conversations: number;
    /** Token, then conversation start, with `startConcurrency` at once. */
    readonly startedPerSecond: number;
    readonly startConcurrency: number;
    readonly messagesPerConversation: number;
    /** From posting a message to the bot's first reply arriving on that conversation's WebSocket. */
    readonly roundTrip: LatencySummary;
    /** Messages answered per second while every conversation was sending (no pause between messages). */
    readonly messagesPerSecond: number;
    readonly failures: number;
}

const replyTimeoutMs = 30_000;

/**
 * Section 3: the built-in Direct Line on the app with SQLite state. Starts conversations as Web Chat does (token,
 * then conversation), opens each one's WebSocket stream, then has every conversation send its messages one after
 * another, all conversations at once, timing each message until the bot's reply arrives on its socket.
 */
export async function runDirectLine(
    settings: BenchSettings,
    progress: (line: string) => void,
): Promise<DirectLineResult> {
    const { conversations: count, rounds, startConcurrency } = settings.directLine;
    const mix = loadMessageMix();
    const server = await startApp(settings, 'app-directline');
    const streams: ReplyStream[] = [];
    try {
        progress(`direct line: starting ${count} conversations`);
        const startedAt = performance.now();
        const conversations = await inParallel(count, startConcurrency, () => startConversation(server.url));
        const startedPerSecond = count / ((performance.now() - startedAt) / 1000);
        for (const conversation of conversations) streams.push(await ReplyStream.open(conversation));

        progress(`direct line: ${count} conversations sending ${rounds} messages each`);
        const samples: number[] = [];
        let failures = 0;
        const sending = performance.now();
        await Promise.all(
            conversations.map(async (conversation, c) => {
                const stream = streams[c] as ReplyStream;
                // Turn 1 of the mix is a question, so every conversation opens with one.
                for (let turn = 1; turn <= rounds; turn++) {
                    try {
                        const sent = process.hrtime.bigint();
                        const id = await postMessage(server.url, conversation, mix.message(c, turn));
                        const replied = await stream.replyTo(id, replyTimeoutMs);
                        samples.push(Number(replied - sent));
                    } catch {
                        failures++;
                    }
                }
            }),
        );
        return {
            conversations: count,
            startedPerSecond,
            startConcurrency,
            messagesPerConversation: rounds,
            roundTrip: summariseLatency(samples),
            messagesPerSecond: samples.length / ((performance.now() - sending) / 1000),
            failures,
        };
    } finally {
        for (const stream of streams) stream.close();
        await server.stop();
    }
}
