import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppOptions } from '../../bot/app';
import { loadConfig, projectRoot } from '../../bot/config';
import { capturedLogger } from './capturedLogger';

/**
 * A running app on a free port with its own data folder; `close` stops it and removes the folder. It listens on
 * loopback unless `where.host` says otherwise (`0.0.0.0` to be reached at this machine's other addresses too).
 * `where.dataDir` starts it on an existing data folder instead (as the service starts again after a restart), which
 * `close` leaves in place, and `where.port` on a given port.
 */
export async function startTestServer(
    env: Record<string, string> = {},
    options: AppOptions = {},
    where: { readonly host?: string; readonly port?: number; readonly dataDir?: string } = {},
) {
    const dataDir = where.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-test-'));
    const config = loadConfig({
        KNOWLEDGE_DIR: path.join(projectRoot, 'knowledge', 'sample'),
        DATA_DIR: dataDir,
        PORT: '0',
        ...env,
    });
    const { log, lines } = capturedLogger();
    const app: App = await createApp(config, log, options);
    try {
        await new Promise<void>((resolve, reject) => {
            // A given port may be taken.
            app.server.server.once('error', reject);
            app.server.listen(where.port ?? 0, where.host ?? '127.0.0.1', () => {
                app.server.server.off('error', reject);
                resolve();
            });
        });
    } catch (error) {
        await app.close();
        throw error;
    }
    const { port } = app.server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        /** Where the app keeps its SQLite file. */
        dataDir,
        logLines: lines,
        close: async () => {
            await app.close();
            if (!where.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
        },
    };
}

/** A minimal message activity that asks for the replies in the HTTP response. */
export function messageActivity(text: string, conversationId = 'conv-1') {
    return {
        type: 'message',
        id: `act-${Math.random().toString(36).slice(2)}`,
        channelId: 'test',
        serviceUrl: 'http://127.0.0.1:1',
        deliveryMode: 'expectReplies',
        conversation: { id: conversationId },
        from: { id: 'resident-1' },
        recipient: { id: 'bot' },
        text,
    };
}

/** One of this machine's addresses that is not loopback, so a request to it does not come from loopback. */
export function outwardAddress(): string | undefined {
    return Object.values(os.networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}
