/**
 * The operator's view of deliveries that gave up (dead letters) after every attempt:
 *   npm run outbox -- list           lists them, with the last error
 *   npm run outbox -- replay <id>    makes one due again, with a fresh count of attempts
 * A running assistant's delivery worker sends a replayed item on its next poll.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from '../bot/config';
import { createOutbox } from '../bot/stores/createOutbox';
import { openDatabase } from '../bot/stores/database';
import type { Outbox } from '../bot/stores/outbox';

const usage = 'Usage: npm run outbox -- list | replay <id>\n';

async function list(outbox: Outbox): Promise<number> {
    const dead = await outbox.listDead();
    if (dead.length === 0) {
        process.stdout.write('No dead letters: every delivery went through or is still being tried.\n');
        return 0;
    }
    process.stdout.write(`${dead.length} dead letter${dead.length === 1 ? '' : 's'}:\n`);
    for (const item of dead) {
        process.stdout.write(
            `  ${item.id}\t${item.caseReference}\t${item.transport}\tteam ${item.team}\t` +
                `${item.attempts} attempt${item.attempts === 1 ? '' : 's'}\tsince ${item.createdAt}\t` +
                `${item.lastError ?? ''}\n`,
        );
    }
    process.stdout.write('Replay one with: npm run outbox -- replay <id>\n');
    return 0;
}

async function replay(outbox: Outbox, id: number): Promise<number> {
    if (!(await outbox.replay(id))) {
        process.stderr.write(`There is no dead letter with id ${id} (npm run outbox -- list shows them).\n`);
        return 1;
    }
    const item = await outbox.get(id);
    process.stdout.write(
        `Replayed ${id} (${item?.caseReference} by ${item?.transport}): the delivery worker sends it on its next poll.\n`,
    );
    return 0;
}

async function main(args: string[]): Promise<number> {
    const [command, id] = args;
    if (!(command === 'list' && args.length === 1) && !(command === 'replay' && /^\d+$/.test(id ?? ''))) {
        process.stderr.write(usage);
        return 2;
    }
    const database = await openDatabase(loadConfig());
    const outbox = await createOutbox(database);
    try {
        return command === 'list' ? await list(outbox) : await replay(outbox, Number(id));
    } finally {
        await outbox.close();
        await database.close();
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`${error instanceof ConfigError ? error.message : `Outbox failed: ${String(error)}`}\n`);
        process.exit(1);
    },
);
