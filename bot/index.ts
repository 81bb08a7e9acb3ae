import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { createLogger } from './logger';
import { KnowledgeError } from '../knowledge/errors';

async function start(): Promise<void> {
    let config;
    try {
        config = loadConfig();
    } catch (error) {
        process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
        process.exit(1);
    }
    const log = createLogger(config.logLevel);
    let app;
    try {
        app = await createApp(config, log);
    } catch (error) {
        if (error instanceof KnowledgeError) {
            process.stderr.write(`${error.message}\n`);
            log.error('knowledge.invalid', { problems: error.problems.length });
            process.exit(1);
        }
        // Settings that only the knowledge makes necessary (a team's webhook secret) are checked in createApp.
        if (error instanceof ConfigError) {
            process.stderr.write(`${error.message}\n`);
            process.exit(1);
        }
        throw error;
    }
    const { server, close } = app;
    server.listen(config.port, config.host, () => {
        log.info('server.listening', {
            url: server.url,
            authentication: config.bot.appId ? 'bot-framework' : 'anonymous',
        });
    });

    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info('server.stopping', { signal });
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        close().then(
            () => {
                log.info('server.stopped');
                process.exit(0);
            },
            (error: unknown) => {
                log.error('server.stop_failed', { error });
                process.exit(1);
            },
        );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
}

start().catch((error: unknown) => {
    process.stderr.write(`The assistant could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
