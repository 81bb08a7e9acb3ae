import path from 'node:path';
import {
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import restify from 'restify';
import { z } from 'zod';
import { Replies } from '../dialogs/replies';
import { KnowledgeEngine } from '../knowledge/engine';
import { loadKnowledge } from '../knowledge/loader';
import { createAssistant } from './assistant';
import { resolveDeliveryTargets } from './handoff/deliveryTargets';
import { startDelivery, type DeliveryOverrides } from './handoff/startDelivery';
import { createTurnErrorHandler } from './turnErrorHandler';
import type { Config } from './config';
import type { Logger } from './logger';
import { createCaseStore } from './stores/createCaseStore';
import { SqliteStorage } from './stores/sqliteStorage';

/** The running service, not yet listening. */
export interface App {
    readonly server: restify.Server;
    /** Stops accepting requests and delivering cases, and releases the database. */
    close(): Promise<void>;
}

// The fields the Bot Framework needs to route a reply; anything else is left to the adapter.
const activitySchema = z
    .object({
        type: z.string().min(1),
        channelId: z.string().min(1),
        serviceUrl: z.string().min(1),
        conversation: z.object({ id: z.string().min(1) }).loose(),
        from: z.object({ id: z.string().min(1) }).loose(),
        text: z.string().optional(),
    })
    .loose();

/** Settings for tests. */
export interface AppOptions {
    readonly delivery?: DeliveryOverrides;
}

/**
 * Builds everything (knowledge, stores, bot, routes, the delivery worker) from the config. Throws `KnowledgeError`
 * on bad knowledge, and `ConfigError` when a team's delivery in council.yaml lacks its secret or SMTP settings.
 */
export async function createApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
    const engine = new KnowledgeEngine(loadKnowledge(config.knowledgeDir));
    log.info('knowledge.loaded', { dir: config.knowledgeDir, services: engine.knowledge.services.length });
    // Checked before anything is opened: only the knowledge says which teams need which secrets.
    const targets = resolveDeliveryTargets(engine.knowledge.council, config.delivery);
    const storage = new SqliteStorage(path.join(config.dataDir, 'assistant.sqlite'));
    const cases = await createCaseStore(config);
    const delivery = await startDelivery(config, targets, cases, log, options.delivery);

    const { bot } = createAssistant({
        storage,
        knowledge: { current: () => engine },
        observer: {
            decided: async (context, decision) => {
                // The resident's words only at debug level, and redacted by the logger like every field.
                log.debug('route.text', { text: context.activity.text });
                log.info('route.decided', {
                    outcome: decision.outcome,
                    services: decision.services,
                    score: decision.score,
                    reason: decision.reason,
                    channel: context.activity.channelId,
                });
            },
        },
        cases,
        log,
        maxMessageLength: config.maxMessageLength,
    });

    const auth: ConfigurationBotFrameworkAuthenticationOptions = {
        MicrosoftAppId: config.bot.appId ?? '',
        MicrosoftAppPassword: config.bot.appPassword ?? '',
        MicrosoftAppType: config.bot.appType,
        MicrosoftAppTenantId: config.bot.tenantId ?? '',
    };
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(auth));
    adapter.onTurnError = createTurnErrorHandler(log, bot, () => new Replies(engine));

    const server = restify.createServer({ name: 'council-assistant', handleUncaughtExceptions: false });
    server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false }));

    server.post('/api/messages', async (req, res) => {
        const parsed = activitySchema.safeParse(req.body);
        if (!parsed.success) {
            const issue = parsed.error.issues[0];
            res.send(400, {
                error: 'invalid_activity',
                message: `${issue?.path.join('.') || 'body'}: ${issue?.message}`,
            });
            return;
        }
        try {
            await adapter.process(req, res, (context) => bot.run(context));
        } catch (error) {
            log.error('messages.failed', { error });
            if (!res.headersSent) res.send(400, { error: 'invalid_activity' });
        }
    });
    server.get('/healthz', async (_req, res) => {
        res.send(200, { status: 'ok' });
    });
    server.get('/readyz', async (_req, res) => {
        const storeReachable = storage.isReachable() && (await cases.isReachable());
        const ready = storeReachable && engine.knowledge.services.length > 0;
        res.send(ready ? 200 : 503, {
            status: ready ? 'ready' : 'not-ready',
            knowledge: { services: engine.knowledge.services.length },
            store: storeReachable ? 'reachable' : 'unreachable',
        });
    });
    server.on('restifyError', (req, res, err, callback) => {
        if (err.statusCode >= 500) log.error('http.error', { route: req.getPath(), error: err });
        return callback();
    });

    return {
        server,
        close: async () => {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await delivery.close();
            storage.close();
            await cases.close();
        },
    };
}
