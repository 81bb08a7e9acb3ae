/**
 * A benchmark child: the yardstick for the end-to-end figures, a bot that only echoes, on the same stack as the
 * app (restify, its body parser, botbuilder's CloudAdapter without an app id), on a free loopback port.
 */
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { childContext, failChild } from './child';

async function main(): Promise<void> {
    const { send } = childContext<object>();
    const adapter = new CloudAdapter(
        new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }),
    );
    const bot = new ActivityHandler();
    bot.onMessage(async (context, next) => {
        await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
        await next();
    });
    const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
    server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
    server.post('/api/messages', async (req, res) => {
        await adapter.process(req, res, (context) => bot.run(context));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.once('SIGTERM', () => server.close(() => process.exit(0)));
    await send({ type: 'listening', port: (server.address() as AddressInfo).port });
}

main().catch(failChild);
