import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
    type Activity,
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import restify from 'restify';
import { z } from 'zod';
import { Replies } from '../dialogs/replies';
import { createAssistant } from './assistant';
import { startDelivery, type DeliveryOverrides } from './handoff/startDelivery';
import { ServiceUrlPolicy } from './serviceUrlPolicy';
import { guardedHttpClient } from './guardedHttpClient';
import { CaseGuard } from './handoff/caseGuard';
import { limitConnections } from './connectionLimits';
import { setTurnOrigin, siteOfAzureUser, unverifiedChannel, type TurnOrigin } from './turnOrigin';
import { partnerSiteOf } from './channels/partnerSite';
import { findSiteById } from '../knowledge/sites';
import { clientLimitKey, refused, registerRateLimits } from './rateLimit/registerRateLimits';
import type { Allowance } from './rateLimit/rateLimiter';
import { registerSecurityHeaders } from './securityHeaders';
import { LiveKnowledge, type ReloadResult } from './liveKnowledge';
import { registerAdmin } from './registerAdmin';
import { createTurnErrorHandler } from './turnErrorHandler';
import { AgentDirectory, AgentsFileError } from './agentConsole/agentDirectory';
import { registerAgentConsole } from './agentConsole/agentConsole';
import { SessionSigner } from './agentConsole/sessionSigner';
import { ConfigError, projectRoot, type Config } from './config';
import type { Logger } from './logger';
import { ChatTokenIssuer, type DirectLineMode } from './channels/chatTokenRoute';
import { serviceOrigin, type OriginSettings } from './channels/serviceOrigin';
import { diagnosticsPolicy } from './channels/teams';
import { DirectLineTokens } from './channels/directLine/directLineTokens';
import { registerChatPage } from './channels/registerChatPage';
import { createInsightStore } from './insight/createInsightStore';
import { InsightRecorder } from './insight/insightRecorder';
import { periodMeasures } from './insight/periodMeasures';
import { reportHtml } from './insight/reportFormats';
import { CaseEvents } from './liveChat/caseEvents';
import { mac } from './signedValue';
import { LiveChat, adapterSender } from './liveChat/liveChat';
import { createCaseStore } from './stores/createCaseStore';
import { createAgentSessionStore } from './stores/agentSessionStore';
import { createStateStorage } from './stores/createStateStorage';
import { FallbackStorage } from './stores/fallbackStorage';
import { openDatabase, type Database } from './stores/database';
import { PostgresSignals } from './stores/postgresSignals';
import { LocalSignals, type Signals } from './stores/signals';
import {
    directLineChannelId,
    directLineLimits,
    registerDirectLine,
    type BuiltInDirectLine,
} from './channels/directLine/registerDirectLine';
import { PostgresDirectLineStore } from './channels/directLine/postgresDirectLineStore';
import { SqliteDirectLineStore } from './channels/directLine/sqliteDirectLineStore';
import { loadSigningSecret, signingSecretFileName } from './signingSecretFile';

/** The running service, not yet listening. */
export interface App {
    readonly server: restify.Server;
    /** Stops accepting requests and delivering cases, and releases the database. */
    close(): Promise<void>;
}

// Every id the bot stores or keys on has a bound (a Teams conversation id, the longest seen, is a few hundred
// characters): an unbounded one filled memory and disk through the limiter's keys and the state rows.
const longestId = 256;
const longestConversationId = 512;

// An account as the SDK writes it into a reply (the incoming `from` becomes the reply's `recipient`).
const accountSchema = z
    .object({
        id: z.string().min(1).max(longestId),
        name: z.string().max(longestId).optional(),
        role: z.string().max(32).optional(),
    })
    .loose();

// The fields the Bot Framework needs to route a reply, and those the SDK or the bot read: an activity they would
// fail on is refused here with 400, not half-way through a turn.
const activitySchema = z
    .object({
        type: z.string().min(1).max(64),
        id: z.string().max(longestId).optional(),
        channelId: z.string().min(1).max(64),
        serviceUrl: z.string().min(1).max(2048),
        conversation: z
            .object({
                // Every reply carries it in a header (x-ms-conversation-id): printable ASCII only.
                id: z
                    .string()
                    .max(longestConversationId)
                    .regex(/^[\x20-\x7e]+$/, 'expected printable ASCII'),
                name: z.string().max(longestId).optional(),
                isGroup: z.boolean().optional(),
                tenantId: z.string().max(longestId).optional(),
                conversationType: z.string().max(64).optional(),
            })
            .loose(),
        from: accountSchema,
        recipient: accountSchema.optional(),
        text: z.string().optional(),
        locale: z.string().max(64).optional(),
        replyToId: z.string().max(longestId).optional(),
        deliveryMode: z.string().max(64).optional(),
        membersAdded: z.array(accountSchema).optional(),
        membersRemoved: z.array(accountSchema).optional(),
    })
    .loose();

/**
 * The chat pages' Direct Line: Azure Bot Service's when DIRECT_LINE_SECRET is set; otherwise the built-in one,
 * which calls /api/messages like a channel and so works only without an app id (nothing can vouch for it then).
 */
function startDirectLine(
    config: Config,
    server: restify.Server,
    database: Database,
    signals: Signals,
    secret: string,
    botName: string,
    origin: OriginSettings,
    clientKey: (req: restify.Request) => string,
    limit: (conversationId: string) => Allowance,
    log: Logger,
): {
    mode: DirectLineMode;
    builtIn?: BuiltInDirectLine;
    /** Closes the streams and stops the sweep. */
    stop: () => void;
    /** Releases the store, once no request can reach it. */
    close: () => Promise<void>;
} {
    const unchanged = { stop: () => undefined, close: async () => undefined };
    if (config.directLine.secret) {
        const mode: DirectLineMode = { kind: 'azure', secret: config.directLine.secret, url: config.directLine.url };
        return { mode, ...unchanged };
    }
    if (config.bot.appId) {
        const reason =
            'MicrosoftAppId is set, so the built-in Direct Line cannot reach the bot: set DIRECT_LINE_SECRET for the chat pages';
        log.warn('directline.off', { reason });
        return { mode: { kind: 'off', reason }, ...unchanged };
    }
    const tokens = new DirectLineTokens(mac(secret, 'direct-line-tokens'), 30 * 60);
    const store =
        database.kind === 'postgres'
            ? new PostgresDirectLineStore(database.pool, signals, directLineLimits, log)
            : new SqliteDirectLineStore(database.file, directLineLimits);
    const builtIn = registerDirectLine(server, {
        tokens,
        store,
        secret,
        botName,
        origin: (req) => serviceOrigin(req, origin),
        maxTextLength: config.maxMessageLength * 4,
        clientKey,
        limit,
        turnTimeoutMs: turnTimeoutMs(config),
        log,
    });
    return {
        mode: { kind: 'builtIn', tokens },
        builtIn,
        stop: () => builtIn.close(),
        close: () => store.close(),
    };
}

/**
 * How long /api/messages lets a turn run before answering 503: a few replies to a channel that does not answer
 * each take CHANNEL_TIMEOUT_SECONDS.
 */
function turnTimeoutMs(config: Config): number {
    return (config.channelTimeoutSeconds * 2 + 10) * 1000;
}

/** The response as the adapter writes it, except that nothing is written once `timedOut` (503 was sent). */
function untilTimedOut(res: restify.Response, timedOut: () => boolean) {
    const unlessTimedOut =
        <A extends unknown[]>(write: (...args: A) => unknown) =>
        (...args: A) =>
            timedOut() ? undefined : write(...args);
    return {
        socket: res.socket,
        status: unlessTimedOut((code: number) => res.status(code)),
        header: unlessTimedOut((name: string, value: unknown) => res.header(name, value)),
        send: unlessTimedOut((...args: unknown[]) => (res.send as (...a: unknown[]) => unknown)(...args)),
        end: unlessTimedOut((...args: unknown[]) => (res.end as (...a: unknown[]) => unknown)(...args)),
    };
}

/**
 * SESSION_SECRET's stand-in for one instance on SQLite (DATABASE_URL requires SESSION_SECRET): made once and kept
 * in DATA_DIR, so a restart keeps residents' chats (their Direct Line tokens) and agents' sign-ins.
 */
function keptSigningSecret(dataDir: string, log: Logger): string {
    const file = path.join(dataDir, signingSecretFileName);
    const kept = loadSigningSecret(file);
    // Where it is, never what it is.
    log.info(kept.created ? 'session_secret.created' : 'session_secret.loaded', {
        file,
        reason: 'SESSION_SECRET is not set: the signing secret is kept in DATA_DIR, readable by its owner only',
    });
    if (kept.madePrivate) log.warn('session_secret.made_private', { file, mode: '0600' });
    return kept.secret;
}

/** Settings for tests. */
export interface AppOptions {
    readonly delivery?: DeliveryOverrides;
    /** How often waiting live chats are checked for a time-out; default every 15 seconds. */
    readonly liveChatSweepMs?: number;
    /**
     * Treat anonymous requests as if Bot Framework authentication had vouched for them (tests only: they cannot
     * mint Bot Framework tokens), so their channel is believed, as with an app id.
     */
    readonly vouchForAnonymous?: boolean;
    /** The clock (tests fix it): opening hours, case times, chat time-outs, sessions. */
    readonly now?: () => Date;
}

/**
 * Builds everything (knowledge, stores, bot, routes, the delivery worker, the agent console) from the config.
 * Throws `KnowledgeError` on bad knowledge, and `ConfigError` when a team's delivery in council.yaml lacks its
 * secret or SMTP settings, or the agents file is malformed.
 */
export async function createApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
    // Checked before anything is opened: only the knowledge says which teams need which secrets.
    const knowledge = new LiveKnowledge(config.knowledgeDir, config.delivery, log);
    const council = () => knowledge.current().knowledge.council;
    log.info('knowledge.loaded', { dir: config.knowledgeDir, services: knowledge.current().knowledge.services.length });
    const agents = new AgentDirectory(config.agentConsole.agentsFile);
    try {
        // Read once before anything is opened, so a malformed file stops start-up instead of failing a sign-in.
        agents.list();
    } catch (error) {
        if (error instanceof AgentsFileError)
            throw new ConfigError(`Invalid configuration:\n  AGENTS_FILE: ${error.message}`);
        throw error;
    }
    if (config.databaseUrl && !config.agentConsole.sessionSecret) {
        // A random secret per instance would make each instance refuse the others' chat tokens and sign-ins.
        throw new ConfigError(
            'Invalid configuration:\n  SESSION_SECRET: required with DATABASE_URL, the same on every instance (32+ characters)',
        );
    }
    // One secret signs agents' sessions and Direct Line tokens and keys insight pseudonyms (each with its own key).
    const signingSecret = config.agentConsole.sessionSecret ?? keptSigningSecret(config.dataDir, log);
    const database = await openDatabase(config);
    const signals =
        database.kind === 'postgres'
            ? await PostgresSignals.start(database.url, database.pool, log)
            : new LocalSignals();
    const clock = options.now && { now: options.now };
    // Residents keep getting answers through a database outage: state is held in memory until it is back.
    const storage = new FallbackStorage(await createStateStorage(database, clock), log);
    const cases = await createCaseStore(database, clock);
    const delivery = await startDelivery(config, database, () => knowledge.deliveryTargets(), cases, log, {
        ...clock,
        ...options.delivery,
    });

    // With several instances, an agent's page on one hears of a resident's line on another.
    const caseEvents = new CaseEvents(log, database.kind === 'postgres' ? { signals, cases } : undefined);
    const insightStore = await createInsightStore(database);
    const insight = new InsightRecorder({
        store: insightStore,
        knowledge,
        secret: mac(signingSecret, 'insight-pseudonyms'),
        log,
        ...(options.now && { now: options.now }),
    });
    const { bot } = createAssistant({
        storage,
        knowledge,
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
                await insight.decided(context, decision);
            },
            feedback: (context, feedback) => insight.feedback(context, feedback),
            caseCreated: (context, created) => insight.caseCreated(context, created),
        },
        cases,
        caseEvents,
        handoffEventChannels: config.handoffEventChannels,
        // A tenant id is only worth believing when Bot Framework authentication vouches for the activity.
        diagnosticsAllowed: diagnosticsPolicy(
            config.bot.appId ? config.diagnostics.staffTenants : [],
            config.diagnostics.everywhere,
        ),
        log,
        maxMessageLength: config.maxMessageLength,
        ...(options.now && { now: options.now }),
        // Live chat only where an agent's messages may be sent (see serviceUrls below); the built-in Direct Line's
        // secret connector path is never written into a case.
        keptServiceUrl: (serviceUrl) =>
            !serviceUrls.permits(serviceUrl)
                ? undefined
                : (directLineRef.current?.forStorage(serviceUrl ?? '') ?? serviceUrl),
        caseGuard: new CaseGuard(config.rateLimits.casesPerHour, options.now && (() => options.now!().getTime())),
    });

    const auth: ConfigurationBotFrameworkAuthenticationOptions = {
        MicrosoftAppId: config.bot.appId ?? '',
        MicrosoftAppPassword: config.bot.appPassword ?? '',
        MicrosoftAppType: config.bot.appType,
        MicrosoftAppTenantId: config.bot.tenantId ?? '',
    };
    // Every call to a channel (replies, proactive messages) goes through one client: only to permitted URLs, and
    // abandoned when the channel does not answer in time.
    // The built-in Direct Line, once started (below): the policy, limits and turn origins ask for it at each use.
    const directLineRef: { current?: BuiltInDirectLine } = {};
    const serviceUrls = new ServiceUrlPolicy(config.allowedServiceUrls, {
        botFrameworkChannels: Boolean(config.bot.appId),
        ownDirectLine: () => directLineRef.current?.connectorUrl(),
    });
    const httpClient = guardedHttpClient(serviceUrls, config.channelTimeoutSeconds * 1000);
    const adapter = new CloudAdapter(
        new ConfigurationBotFrameworkAuthentication(auth, undefined, undefined, undefined, { httpClient }),
    );
    adapter.onTurnError = createTurnErrorHandler(log, bot, () => new Replies(knowledge.current()));
    // Replies to the built-in Direct Line go through this instance's own connector path, whichever took the message.
    const reroute = (serviceUrl: string) => directLineRef.current?.reroute(serviceUrl) ?? serviceUrl;
    const liveChat = new LiveChat({
        cases,
        events: caseEvents,
        knowledge,
        send: adapterSender(adapter, config.bot.appId ?? '', reroute),
        log,
        ...(options.now && { now: options.now }),
    });
    const liveChatSweep = liveChat.start(options.liveChatSweepMs ?? 15_000);

    const server = restify.createServer({ name: 'council-assistant', handleUncaughtExceptions: false });
    limitConnections(server.server, config.agentConsole.trustProxy);
    // A request line no URL parser accepts (e.g. "GET http://[/x") would throw inside restify: it becomes a 404.
    server.server.prependListener('request', (req: { url?: string }) => {
        try {
            new URL(req.url ?? '/', 'http://service');
        } catch {
            req.url = '/invalid-request-url';
        }
    });
    registerSecurityHeaders(server, config.agentConsole.trustProxy);
    const now = options.now;
    const rateLimits = registerRateLimits(server, config.rateLimits, {
        trustProxy: config.agentConsole.trustProxy,
        // The built-in Direct Line's own calls (each resident's message was limited on its way in).
        exempt: (req) =>
            directLineRef.current !== undefined &&
            (directLineRef.current.forwardedClient(req) !== undefined || directLineRef.current.isConnectorCall(req)),
        log,
        ...(now && { now: () => now().getTime() }),
    });
    // restify inflates a compressed body with no error handler (a corrupt one threw out of the process) and checks
    // MAX_BODY_BYTES before inflating: no client of this service compresses what it sends.
    server.use((req, res, next) => {
        const encoding = req.headers['content-encoding'];
        if (encoding === undefined || encoding === 'identity') return next();
        res.send(415, { error: 'unsupported_content_encoding', message: 'Send the body uncompressed.' });
        return next(false);
    });
    server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false }));

    // A pseudonym for the client's address (its /64 for IPv6), for per-resident limits: the address is never kept.
    const clientKey = (req: restify.Request) =>
        mac(signingSecret, `client:${clientLimitKey(req, config.agentConsole.trustProxy)}`).slice(0, 22);
    /** Where a turn comes from, as far as this server can tell (see TurnOrigin). */
    const turnOriginOf = (
        req: restify.Request,
        activity: Partial<Activity>,
        /** The resident's pseudonym when the built-in Direct Line forwarded the activity. */
        forwarded: string | undefined,
    ): TurnOrigin => {
        const { sites } = knowledge.current().knowledge;
        if (forwarded !== undefined) {
            // The built-in Direct Line wrote the site from the conversation's token.
            const site = partnerSiteOf(activity, sites);
            return { channel: directLineChannelId, ...(site && { site }), client: forwarded, vouched: false };
        }
        if (config.bot.appId || options.vouchForAnonymous) {
            // Bot Framework authentication vouches for the channel, and Azure's Direct Line for the user id.
            const claimed = activity.channelId === directLineChannelId ? siteOfAzureUser(activity) : undefined;
            const site = claimed && findSiteById(sites, claimed)?.id;
            const client = mac(signingSecret, `user:${activity.channelId}:${activity.from?.id}`).slice(0, 22);
            return { channel: activity.channelId ?? unverifiedChannel, ...(site && { site }), client, vouched: true };
        }
        return { channel: unverifiedChannel, client: clientKey(req), vouched: false };
    };
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
        const { serviceUrl, deliveryMode, type, channelId, conversation } = parsed.data;
        if (!serviceUrls.permitsIncoming(serviceUrl, deliveryMode)) {
            res.send(403, {
                error: 'service_url_not_allowed',
                message:
                    'serviceUrl: replies go only to the built-in Direct Line, ALLOWED_SERVICE_URLS and (with an app id) Bot Framework channels',
            });
            return;
        }
        // A person types a few messages a minute; a script in a loop is refused before it costs a turn. (The
        // built-in Direct Line has counted its own, before keeping them.)
        const forwarded = directLineRef.current?.forwardedClient(req);
        if (
            type === 'message' &&
            forwarded === undefined &&
            refused(res, rateLimits.conversation(`${channelId}/${conversation.id}`))
        )
            return;
        // A message is answered as too long beyond MAX_MESSAGE_LENGTH; past four times that, nothing reads further
        // (masking, safety rules, the transcript), as on the built-in Direct Line.
        const longest = config.maxMessageLength * 4;
        if (typeof parsed.data.text === 'string' && parsed.data.text.length > longest) {
            (req.body as { text: string }).text = parsed.data.text.slice(0, longest);
        }
        const origin = turnOriginOf(req, parsed.data as Partial<Activity>, forwarded);
        // A turn held up (a channel that accepts and never answers, say) is answered in bounded time; it goes on
        // in the background until its own outbound calls time out.
        let timedOut = false;
        const deadline = setTimeout(() => {
            timedOut = true;
            log.warn('messages.turn_timeout', { channel: origin.channel });
            if (!res.headersSent) res.send(503, { error: 'turn_timeout', message: 'The turn took too long.' });
        }, turnTimeoutMs(config));
        try {
            await adapter.process(
                req,
                untilTimedOut(res, () => timedOut),
                (context) => {
                    setTurnOrigin(context, origin);
                    return bot.run(context);
                },
            );
        } catch (error) {
            log.error('messages.failed', { error });
            if (!res.headersSent) res.send(400, { error: 'invalid_activity' });
        } finally {
            clearTimeout(deadline);
        }
    });
    server.get('/healthz', async (_req, res) => {
        res.send(200, { status: 'ok' });
    });
    server.get('/readyz', async (_req, res) => {
        const storeReachable = (await storage.isReachable()) && (await cases.isReachable());
        const services = knowledge.current().knowledge.services.length;
        // Ready while the knowledge is loaded: without its database an instance still answers questions (state
        // is held in memory), and taking every instance out of the load balancer would help nobody.
        const ready = services > 0;
        res.send(ready ? 200 : 503, {
            status: !ready ? 'not-ready' : storeReachable ? 'ready' : 'degraded',
            knowledge: { services },
            store: storeReachable ? 'reachable' : 'unreachable',
        });
    });
    const agentSettings = config.agentConsole;
    const originSettings: OriginSettings = { publicUrl: config.publicUrl, trustProxy: agentSettings.trustProxy };
    const councilName = council().name;
    const directLine = startDirectLine(
        config,
        server,
        database,
        signals,
        signingSecret,
        councilName,
        originSettings,
        clientKey,
        (conversationId) => rateLimits.conversation(`${directLineChannelId}/${conversationId}`),
        log,
    );
    directLineRef.current = directLine.builtIn;
    registerChatPage(server, {
        knowledge,
        tokens: new ChatTokenIssuer(directLine.mode, log),
        origin: originSettings,
        log,
    });
    const agentSessions = await createAgentSessionStore(database);
    const agentConsole = registerAgentConsole(server, {
        agents,
        cases,
        liveChat,
        events: caseEvents,
        signer: new SessionSigner(signingSecret),
        sessionHours: agentSettings.sessionHours,
        sessions: agentSessions,
        signals,
        trustProxy: agentSettings.trustProxy,
        // Read at each use, so a knowledge reload renames teams and moves the time zone.
        get teamNames(): ReadonlyMap<string, string> {
            return new Map(council().teams.map((team) => [team.id, team.name]));
        },
        get timezone() {
            return council().timezone;
        },
        stylesheet: ['base.css', 'agent.css']
            .map((f) => fs.readFileSync(path.join(projectRoot, 'web', f), 'utf8'))
            .join('\n'),
        script: fs.readFileSync(path.join(projectRoot, 'web', 'agent.js'), 'utf8'),
        agentsFile: agentSettings.agentsFile,
        log,
        onClaimed: (claimed) => insight.caseClaimed(claimed),
        onClosed: (closed) => insight.caseClosed(closed),
        insightReport: async (from, to, nonce) => {
            const { measures, context } = await periodMeasures(insightStore, knowledge.current().knowledge, from, to);
            return reportHtml(measures, context, { nonce });
        },
        ...(options.now && { now: options.now }),
    });
    // A reload on one instance (the admin route) reloads every instance; a file change reloads the instance watching.
    const instance = randomBytes(8).toString('hex');
    const stopReloadSignal = signals.subscribe('knowledge', (from) => {
        if (from !== instance) knowledge.reload();
    });
    const stopWatching = config.knowledgeWatch ? knowledge.watch() : () => undefined;
    registerAdmin(server, {
        token: config.adminToken,
        reload: (): ReloadResult => {
            const result = knowledge.reload();
            if (result.status === 'reloaded') {
                signals.publish('knowledge', instance).catch((error: unknown) => {
                    log.warn('knowledge.reload_signal_failed', { error });
                });
            }
            return result;
        },
        log,
    });
    server.on('restifyError', (req, res, err, callback) => {
        if (err.statusCode >= 500) log.error('http.error', { route: req.getPath(), error: err });
        return callback();
    });

    return {
        server,
        close: async () => {
            liveChatSweep.stop();
            stopWatching();
            stopReloadSignal();
            agentConsole.close();
            directLine.stop();
            caseEvents.close();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await directLine.close();
            await delivery.close();
            await signals.close();
            await storage.close();
            await cases.close();
            await insightStore.close();
            await agentSessions.close();
            await database.close();
        },
    };
}
