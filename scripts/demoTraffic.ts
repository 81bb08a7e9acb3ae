/**
 * Fills the insight store with a month of realistic demo conversations, driven through the bot itself (its real
 * /api/messages, dialogs and recording), so a newcomer can see a filled report at once:
 *   npm run demo:traffic [-- --conversations 300 --seed 1]
 *   npm run report -- --from <printed from> --to <printed to> --out demo.html
 * Questions come from the evaluation set (test/eval/cases.yaml); each conversation is spread over the last 30
 * days. It writes to the configured store (DATA_DIR or DATABASE_URL): use a scratch DATA_DIR, not production.
 */
import 'dotenv/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import winston from 'winston';
import { createApp } from '../bot/app';
import { ConfigError, loadConfig, projectRoot } from '../bot/config';
import { createLogger } from '../bot/logger';

interface Options {
    readonly conversations: number;
    readonly seed: number;
}

function parseArgs(args: readonly string[]): Options {
    const value = (name: string, fallback: number) => {
        const at = args.indexOf(`--${name}`);
        const n = at >= 0 ? Number(args[at + 1]) : fallback;
        if (!Number.isInteger(n) || n < 1 || n > 10_000)
            throw new ConfigError(`--${name} must be a whole number from 1 to 10000`);
        return n;
    };
    return { conversations: value('conversations', 300), seed: value('seed', 1) };
}

/** A small deterministic random source, so a demo run can be repeated exactly. */
function random(seed: number): () => number {
    let state = seed % 2147483647 || 1;
    return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

async function main(): Promise<number> {
    const options = parseArgs(process.argv.slice(2));
    const config = loadConfig();
    const cases = (
        parse(fs.readFileSync(path.join(projectRoot, 'test', 'eval', 'cases.yaml'), 'utf8')) as {
            cases: { text: string; expect: string | string[] }[];
        }
    ).cases.filter((c) => c.expect !== 'urgent');
    const next = random(options.seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    // The 30 whole days before today, from midnight (UTC, the council's time in winter).
    const end = new Date();
    end.setUTCHours(0, 0, 0, 0);
    const start = new Date(end.getTime() - 30 * 24 * 60 * 60 * 1000);
    let clock = start;
    // The agents file is not needed for the demo: point it at a scratch path so no accounts are read or made.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-traffic-'));
    const app = await createApp(
        { ...config, agentConsole: { ...config.agentConsole, agentsFile: path.join(scratch, 'agents.json') } },
        createLogger('error', [new winston.transports.Console({ silent: true })]),
        { now: () => clock, liveChatSweepMs: 24 * 60 * 60 * 1000 },
    );
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const say = async (conversation: string, text: string) => {
        const response = await fetch(`${url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'message',
                id: `demo-${Math.floor(next() * 1e9)}`,
                channelId: conversation.endsWith('5') ? 'msteams' : 'directline',
                serviceUrl: 'http://127.0.0.1:1',
                deliveryMode: 'expectReplies',
                conversation: { id: conversation },
                from: { id: `demo-user-${conversation}` },
                recipient: { id: 'assistant' },
                text,
            }),
        });
        const body = (await response.json()) as { activities?: { text?: string }[] };
        return (body.activities ?? []).map((a) => a.text ?? '').join('\n');
    };
    try {
        for (let i = 0; i < options.conversations; i++) {
            // Busier in working hours and on weekdays, as council contact is.
            const day = Math.floor(next() * 30);
            const hour = next() < 0.75 ? 8 + Math.floor(next() * 10) : Math.floor(next() * 24);
            clock = new Date(start.getTime() + (day * 24 + hour) * 60 * 60 * 1000 + Math.floor(next() * 3600) * 1000);
            const conversation = `demo-${options.seed}-${i}`;
            const reply = await say(conversation, pick(cases).text);
            if (reply.includes('Did this answer your question?')) {
                await say(conversation, next() < 0.78 ? 'Yes' : 'No');
            } else if (reply.includes('Could you say it another way')) {
                await say(conversation, pick(cases).text);
            }
        }
    } finally {
        await app.close();
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    const from = start.toISOString().slice(0, 10);
    const to = new Date(end.getTime() - 1).toISOString().slice(0, 10);
    process.stdout.write(
        `Drove ${options.conversations} demo conversations through the assistant, ${from} to ${to}.\n` +
            `See them: npm run report -- --from ${from} --to ${to} --out demo-report.html\n`,
    );
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(
            `${error instanceof ConfigError ? error.message : `Demo traffic failed: ${String(error)}`}\n`,
        );
        process.exit(1);
    },
);
