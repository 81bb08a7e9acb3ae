/**
 * A benchmark child: the real app (config loader, createApp) listening on a free loopback port. It reports the
 * port over IPC, answers memory questions, and closes cleanly on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { childContext, failChild, type ChildMessage } from './child';

/** What the parent passes: the environment the config is read from (nothing is read from process.env). */
export interface AppServerSpec {
    readonly env: Readonly<Record<string, string>>;
}

async function main(): Promise<void> {
    const { spec, send } = childContext<AppServerSpec>();
    const config = loadConfig(spec.env);
    // The service's own logger at its configured level: logging each turn is part of what a turn costs.
    const app = await createApp(config, createLogger(config.logLevel));
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    const { port } = app.server.address() as AddressInfo;

    // How long the event loop was held up (a synchronous database write, a long computation) while under load.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    process.on('message', (message: ChildMessage) => {
        if (message.type === 'memory') {
            (globalThis as { gc?: () => void }).gc?.();
            void send({ type: 'memory', ...process.memoryUsage() });
        } else if (message.type === 'eventLoop') {
            void send({ type: 'eventLoop', p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 });
            delay.reset();
        }
    });
    process.once('SIGTERM', () => {
        app.close().then(
            () => process.exit(0),
            () => process.exit(1),
        );
    });
    await send({ type: 'listening', port });
}

main().catch(failChild);
