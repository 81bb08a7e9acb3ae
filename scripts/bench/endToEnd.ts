import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { loadMessageMix, type MessageMix } from './messageMix';
import { createBenchSchema } from './postgresSchema';
import { startApp, startEcho, type BenchServer } from './servers';
import type { BenchSettings } from './settings';
import { percentile } from './stats';

/** One server under load. */
export interface EndToEndRow {
    readonly server: 'echo bot' | 'app, SQLite state' | 'app, PostgreSQL state';
    readonly requestsPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly requests: number;
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly rounds: number;
    /** The app's event loop delay over its measured rounds (how long turns waited on synchronous work). */
    readonly eventLoopDelay?: { readonly p99Ms: number; readonly maxMs: number };
    /** Requests per second as a share of the echo bot's, measured in the same run. */
    readonly ofEcho?: number;
}

const headers = { 'content-type': 'application/json' };

/** A message activity asking for its replies in the HTTP response (nothing is posted to the serviceUrl). */
function activity(run: string, conversation: number, turn: number, text: string) {
    return {
        type: 'message',
        id: `${run}-${conversation}-${turn}`,
        channelId: 'bench',
        // Loopback, as an anonymous bot requires; with expectReplies nothing is ever sent there.
        serviceUrl: 'http://127.0.0.1:1/',
        deliveryMode: 'expectReplies',
        conversation: { id: `${run}-conversation-${conversation}` },
        from: { id: `${run}-resident-${conversation}` },
        recipient: { id: 'bot' },
        locale: 'en-GB',
        text,
    };
}

/** Checks a server answers a message with replies in the response, before any figure is taken. */
async function checkReplies(server: BenchServer, mix: MessageMix): Promise<void> {
    const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify(activity('check', 0, 1, mix.message(0, 1))),
    });
    const body = (await response.json().catch(() => undefined)) as { activities?: unknown[] } | undefined;
    if (!response.ok || !body?.activities?.length) {
        throw new Error(`${server.url}/api/messages answered ${response.status} without replies in the body`);
    }
}

/**
 * Loads /api/messages with `connections` concurrent requests, each for a different conversation: conversations
 * are taken round a pool eight times the connections, so each gets its turns in order, one at a time.
 */
function load(server: BenchServer, settings: BenchSettings, seconds: number, mix: MessageMix, run: string) {
    const { connections } = settings.endToEnd;
    const pool = connections * 8;
    let sent = 0;
    return autocannon({
        url: server.url,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [
            {
                method: 'POST',
                path: '/api/messages',
                headers,
                setupRequest: (request) => {
                    const n = sent++;
                    const conversation = n % pool;
                    const turn = Math.floor(n / pool);
                    const body = activity(run, conversation, turn, mix.message(conversation, turn));
                    return { ...request, body: JSON.stringify(body) };
                },
            },
        ],
    });
}

interface Contender {
    readonly name: EndToEndRow['server'];
    readonly server: BenchServer;
    readonly rounds: autocannon.Result[];
    eventLoopDelay?: { readonly p99Ms: number; readonly maxMs: number };
}

const median = (values: readonly number[]) => percentile(values, 50);
// Completed requests over the round's length (autocannon's own average is per whole second).
const perSecond = (round: autocannon.Result) => round.requests.total / round.duration;

/** One server's rounds as one row: the median round's figures, every round's requests and errors. */
function summarise(contender: Contender, echo: Contender | undefined): EndToEndRow {
    const { rounds } = contender;
    const sum = (value: (r: autocannon.Result) => number) => rounds.reduce((total, r) => total + value(r), 0);
    return {
        server: contender.name,
        requestsPerSecond: median(rounds.map(perSecond)),
        p50Ms: median(rounds.map((r) => r.latency.p50)),
        p99Ms: median(rounds.map((r) => r.latency.p99)),
        requests: sum((r) => r.requests.total),
        non2xx: sum((r) => r.non2xx),
        errors: sum((r) => r.errors),
        timeouts: sum((r) => r.timeouts),
        rounds: rounds.length,
        ...(contender.eventLoopDelay && { eventLoopDelay: contender.eventLoopDelay }),
        // Each round's ratio is to the echo bot's round just before it, so load from elsewhere on the machine
        // weighs on both sides of the ratio alike.
        ...(echo && {
            ofEcho: median(rounds.map((r, i) => perSecond(r) / perSecond(echo.rounds[i] as autocannon.Result))),
        }),
    };
}

/**
 * Section 2: the echo bot, the app with SQLite state and the app with PostgreSQL state, each in its own process
 * while autocannon runs in this one. All three run side by side: after a warm-up each, they take turns, round
 * after round, and each figure is the median round's.
 */
export async function runEndToEnd(settings: BenchSettings, progress: (line: string) => void): Promise<EndToEndRow[]> {
    const mix = loadMessageMix();
    const { rounds, seconds, warmupSeconds } = settings.endToEnd;
    const schema = await createBenchSchema();
    const contenders: Contender[] = [];
    try {
        progress('end to end: starting the echo bot and the app with SQLite and with PostgreSQL state');
        const started = await Promise.allSettled([
            startEcho(settings),
            startApp(settings, 'app-sqlite'),
            startApp(settings, 'app-postgres', schema.url),
        ]);
        const names = ['echo bot', 'app, SQLite state', 'app, PostgreSQL state'] as const;
        started.forEach((s, i) => {
            if (s.status === 'fulfilled')
                contenders.push({ name: names[i] as Contender['name'], server: s.value, rounds: [] });
        });
        const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed) throw failed.reason;
        const run = randomBytes(4).toString('hex');
        const eventLoop = async ({ server, name }: Contender) => {
            if (name === 'echo bot') return undefined;
            server.child.send({ type: 'eventLoop' });
            return server.child.next<{ type: string; p99Ms: number; maxMs: number }>('eventLoop', 30_000);
        };
        for (const contender of contenders) {
            await checkReplies(contender.server, mix);
            await load(contender.server, settings, warmupSeconds, mix, `warm-${run}`);
            await eventLoop(contender);
        }
        for (let round = 1; round <= rounds; round++) {
            progress(`end to end: round ${round} of ${rounds}`);
            for (const contender of contenders) {
                contender.rounds.push(await load(contender.server, settings, seconds, mix, `${run}-${round}`));
            }
        }
        for (const contender of contenders) {
            const delay = await eventLoop(contender);
            if (delay) contender.eventLoopDelay = { p99Ms: delay.p99Ms, maxMs: delay.maxMs };
        }
        const [echo, ...apps] = contenders as [Contender, ...Contender[]];
        return [summarise(echo, undefined), ...apps.map((app) => summarise(app, echo))];
    } finally {
        for (const { server } of contenders) await server.stop();
        await schema.drop();
    }
}
