import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PostgresStorage } from '../../../bot/stores/postgresStorage';
import { SqliteStorage } from '../../../bot/stores/sqliteStorage';
import type { StateStorage } from '../../../bot/stores/stateStorage';
import { usePostgres } from '../../helpers/postgres';
import { stateStorageContract } from './stateStorage.contract';

stateStorageContract('SqliteStorage', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-storage-'));
    const file = path.join(dir, 'nested', 'state.sqlite');
    let now = Date.now() - 60_000;
    const clock = () => new Date(now);
    const opened: StateStorage[] = [new SqliteStorage(file, clock)];
    return {
        storage: opened[0] as StateStorage,
        reopen: async () => opened[opened.push(new SqliteStorage(file, clock)) - 1] as StateStorage,
        advance: (ms) => void (now += ms),
        cleanup: async () => {
            for (const storage of opened) await storage.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
});

describe('PostgresStorage on a real PostgreSQL', function () {
    this.timeout(30_000);
    const { freshSchema } = usePostgres('state_storage_test');
    stateStorageContract('PostgresStorage', async () => {
        const { url, drop } = await freshSchema();
        let now = Date.now() - 60_000;
        const clock = { now: () => new Date(now) };
        const opened: StateStorage[] = [await PostgresStorage.create(url, clock)];
        return {
            storage: opened[0] as StateStorage,
            reopen: async () => opened[opened.push(await PostgresStorage.create(url, clock)) - 1] as StateStorage,
            advance: (ms) => void (now += ms),
            cleanup: async () => {
                for (const storage of opened) await storage.close();
                await drop();
            },
        };
    });
});
