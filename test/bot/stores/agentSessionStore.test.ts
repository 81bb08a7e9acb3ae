import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { AgentSessionStore } from '../../../bot/stores/agentSessionStore';
import { createPostgresPool } from '../../../bot/stores/createPostgresPool';
import { PostgresAgentSessionStore } from '../../../bot/stores/postgresAgentSessionStore';
import { SqliteAgentSessionStore } from '../../../bot/stores/sqliteAgentSessionStore';
import { usePostgres } from '../../helpers/postgres';

const at = new Date('2026-11-23T10:00:00Z');

/** What both stores promise. */
function behavesAsAgentSessionStore(
    open: () => Promise<{ store: AgentSessionStore; reopen: () => Promise<AgentSessionStore> }>,
) {
    it('starts every agent at generation 0, and moves only that agent on at each sign-out', async () => {
        const { store } = await open();
        expect(await store.generation('jo')).to.equal(0);
        expect(await store.endSessions('jo', at)).to.equal(1);
        expect(await store.endSessions('jo', at)).to.equal(2);
        expect(await store.generation('jo')).to.equal(2);
        expect(await store.generation('sam')).to.equal(0);
        await store.close();
    });

    it('keeps sign-outs for every connection opened later (another instance, a restart)', async () => {
        const { store, reopen } = await open();
        await store.endSessions('jo', at);
        const other = await reopen();
        expect(await other.generation('jo')).to.equal(1);
        expect(await other.endSessions('jo', at)).to.equal(2);
        expect(await store.generation('jo')).to.equal(2);
        await Promise.all([store.close(), other.close()]);
    });
}

describe('SqliteAgentSessionStore', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-sessions-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    behavesAsAgentSessionStore(async () => {
        const file = path.join(dir, 'assistant.sqlite');
        return { store: new SqliteAgentSessionStore(file), reopen: async () => new SqliteAgentSessionStore(file) };
    });
});

describe('PostgresAgentSessionStore', function () {
    this.timeout(30_000);
    const { freshSchema } = usePostgres('agent_sessions_store');
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    behavesAsAgentSessionStore(async () => {
        const { url, drop } = await freshSchema();
        cleanups.push(drop);
        const pool = createPostgresPool(url);
        cleanups.push(() => pool.end());
        return {
            store: await PostgresAgentSessionStore.create(pool),
            reopen: async () => {
                const other = createPostgresPool(url);
                cleanups.push(() => other.end());
                return PostgresAgentSessionStore.create(other);
            },
        };
    });

    it('gives each of many sign-outs at once, from several instances, a generation of its own', async () => {
        const { url, drop } = await freshSchema();
        cleanups.push(drop);
        const pools = [1, 2, 3].map(() => createPostgresPool(url));
        cleanups.push(() => Promise.all(pools.map((p) => p.end())).then(() => undefined));
        const stores = await Promise.all(pools.map((p) => PostgresAgentSessionStore.create(p)));
        const generations = await Promise.all(
            Array.from({ length: 12 }, (_v, i) => stores[i % 3]?.endSessions('jo', at) ?? Promise.resolve(0)),
        );
        expect(generations.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 12 }, (_v, i) => i + 1));
    });
});
