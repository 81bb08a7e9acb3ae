import path from 'node:path';
import type { RateLimits } from './rateLimit/registerRateLimits';
import { ProxyListError, ProxyTrust } from './proxyTrust';
import { z } from 'zod';

/** The project root (one level above `bot/` in the sources, two above `dist/bot/` when built). */
export const projectRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

const optionalText = z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));
const integer = (fallback: number, min: number, max: number) =>
    z.coerce.number().int().min(min).max(max).default(fallback);
/** A comma-separated list (empty by default), each item trimmed and checked by `item`. */
const commaList = (item: z.ZodType<string, string>) =>
    z
        .string()
        .default('')
        .transform((v) =>
            v
                .split(',')
                .map((part) => part.trim())
                .filter(Boolean),
        )
        .pipe(z.array(item));

const environmentSchema = z.object({
    PORT: integer(3978, 0, 65535),
    HOST: z.string().default('0.0.0.0'),
    KNOWLEDGE_DIR: z.string().default(path.join(projectRoot, 'knowledge', 'sample')),
    DATA_DIR: z.string().default(path.join(projectRoot, 'data')),
    DATABASE_URL: z
        .string()
        .trim()
        .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
        .optional(),
    DATABASE_POOL_SIZE: integer(10, 1, 200),
    CASE_RETENTION_DAYS: integer(180, 1, 3650),
    CONVERSATION_RETENTION_HOURS: integer(24, 1, 24 * 90),
    INSIGHT_RETENTION_DAYS: integer(400, 1, 3650),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    MAX_MESSAGE_LENGTH: integer(1000, 50, 20000),
    MAX_BODY_BYTES: integer(256 * 1024, 1024, 10 * 1024 * 1024),
    RATE_LIMIT_PER_ADDRESS: integer(600, 0, 1_000_000),
    RATE_LIMIT_NEW_CHATS: integer(20, 0, 1_000_000),
    RATE_LIMIT_PER_CONVERSATION: integer(30, 0, 1_000_000),
    RATE_LIMIT_CASES_PER_HOUR: integer(6, 0, 1_000_000),
    CHANNEL_TIMEOUT_SECONDS: integer(15, 1, 120),
    ALLOWED_SERVICE_URLS: commaList(
        z.url({ protocol: /^https?$/, error: 'expected a comma-separated list of http(s) URLs' }),
    ),
    HANDOFF_EVENT_CHANNELS: commaList(
        z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a comma-separated list of channel ids'),
    ),
    PUBLIC_URL: z
        .union([
            z.literal('').transform(() => undefined),
            z.url({
                protocol: /^https?$/,
                error: 'expected the address residents reach the service at, e.g. https://assistant.anytown.gov.uk',
            }),
        ])
        .optional(),
    DIRECT_LINE_SECRET: optionalText,
    DIRECT_LINE_URL: z
        .url({
            protocol: /^https?$/,
            error: 'expected the Direct Line base URL, e.g. https://directline.botframework.com/v3/directline',
        })
        .default('https://directline.botframework.com/v3/directline')
        .refine((v) => v.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(v), {
            error: 'expected https:// (the secret must not travel in clear; http only to this machine, for tests)',
        })
        .transform((v) => v.replace(/\/+$/, '')),
    STAFF_TENANT_IDS: commaList(z.uuid({ error: 'expected a comma-separated list of tenant ids (GUIDs)' })),
    DIAGNOSTICS: z.enum(['true', 'false']).default('false'),
    KNOWLEDGE_WATCH: z.enum(['true', 'false']).default('true'),
    ADMIN_TOKEN: optionalText,
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: optionalText,
    WEBHOOK_TIMEOUT_SECONDS: integer(10, 1, 120),
    SMTP_URL: z
        .string()
        .trim()
        .regex(/^smtps?:\/\/[^/]/, 'expected an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example:587')
        .optional(),
    SMTP_FROM: z
        .string()
        .trim()
        .regex(
            /^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
            'expected an address, e.g. "Assistant <a@b.gov.uk>"',
        )
        .optional(),
    SESSION_SECRET: optionalText,
    SESSION_HOURS: integer(8, 1, 24 * 7),
    AGENTS_FILE: z.string().default(path.join(projectRoot, 'agents.json')),
    TRUST_PROXY: z
        .string()
        .default('')
        .transform((value, ctx) => {
            const given = value.trim();
            // `false`, the old default, trusts no proxy; `true` trusted any client's X-Forwarded-For.
            if (/^false$/i.test(given)) return ProxyTrust.none;
            if (/^true$/i.test(given)) {
                ctx.issues.push({
                    code: 'custom',
                    input: value,
                    message:
                        'true is no longer accepted (any client could claim any address): list the proxy addresses or CIDRs to trust, e.g. 127.0.0.1,10.0.0.0/8,::1',
                });
                return z.NEVER;
            }
            try {
                return ProxyTrust.parse(given);
            } catch (error) {
                if (!(error instanceof ProxyListError)) throw error;
                ctx.issues.push({ code: 'custom', input: value, message: error.message });
                return z.NEVER;
            }
        }),
});

// WEBHOOK_SECRET for every team with a webhook, WEBHOOK_SECRET_<TEAM ID> (upper snake case) for one team.
const webhookSecretVariable = /^WEBHOOK_SECRET(_[A-Z0-9_]+)?$/;
// HMAC-SHA256 with a short secret can be guessed offline from one signed payload.
const minimumSecretLength = 16;
// The session secret guards every agent's sign-in, so it is held to the length `openssl rand -hex 16` gives.
const minimumSessionSecretLength = 32;

/** The service's settings, read once from the environment. */
export interface Config {
    readonly port: number;
    readonly host: string;
    readonly knowledgeDir: string;
    readonly dataDir: string;
    /**
     * PostgreSQL for everything lasting (state, cases, outbox, insight, Direct Line), shared by several instances;
     * when unset, all of it lives in the SQLite file under `dataDir`.
     */
    readonly databaseUrl: string | undefined;
    /** Connections each instance keeps to PostgreSQL at most (plus one that listens for other instances' signals). */
    readonly databasePoolSize: number;
    /** Days a case keeps its personal content before `npm run purge` removes it. */
    readonly caseRetentionDays: number;
    /** Conversation state (which holds the recent transcript) is deleted after this many idle hours. */
    readonly conversationRetentionHours: number;
    /** After this many days `npm run purge` deletes insight events (a year and a bit allows year-on-year figures). */
    readonly insightRetentionDays: number;
    readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
    /** Longer messages get a polite request for a shorter one. */
    readonly maxMessageLength: number;
    /** Larger request bodies get 413. */
    readonly maxBodyBytes: number;
    /** Requests per minute before 429 (0 = no limit), per instance. */
    readonly rateLimits: RateLimits;
    /** Where replies may be sent besides the built-in Direct Line (and Microsoft's channels with an app id). */
    readonly allowedServiceUrls: readonly string[];
    /** A reply or proactive message to a channel that has not answered after this long has failed. */
    readonly channelTimeoutSeconds: number;
    /**
     * Channels where an omnichannel platform sits in front of the bot, so a new case also sends the Bot Framework
     * handoff event (e.g. `directline`); Teams and the local test tools reject events, so none by default.
     */
    readonly handoffEventChannels: readonly string[];
    /**
     * Azure Bot Service's Direct Line for the chat pages, when its secret is set (exchanged for tokens on the
     * server); otherwise the built-in Direct Line, which needs no Azure subscription.
     */
    readonly directLine: { readonly secret: string | undefined; readonly url: string };
    /** Where residents reach the service (PUBLIC_URL): the origin of the links it hands out, behind any proxy. */
    readonly publicUrl: string | undefined;
    /** Staff diagnostics (`/why`): for Teams users of these tenants, or for everyone when `everywhere`. */
    readonly diagnostics: { readonly staffTenants: readonly string[]; readonly everywhere: boolean };
    /** Reload the knowledge when a file in its folder changes. */
    readonly knowledgeWatch: boolean;
    /** The bearer token for POST /admin/reload; the route is off without it. */
    readonly adminToken: string | undefined;
    /** Bot Framework credentials: when `appId` is set, every call to /api/messages must carry a valid token. */
    readonly bot: {
        readonly appId: string | undefined;
        readonly appPassword: string | undefined;
        readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
        readonly tenantId: string | undefined;
    };
    /** Sending cases to the council's systems; which teams use which transport is in council.yaml. */
    readonly delivery: {
        /** Webhook signing secrets by variable name (`WEBHOOK_SECRET_WASTE`, or `WEBHOOK_SECRET` for any team). */
        readonly webhookSecrets: Readonly<Record<string, string>>;
        /** A webhook attempt that has no answer after this long has failed (and is tried again later). */
        readonly webhookTimeoutSeconds: number;
        /** The SMTP server for email delivery, e.g. `smtp://user:password@mail.example:587`. */
        readonly smtpUrl: string | undefined;
        /** The sender of delivery emails. */
        readonly smtpFrom: string | undefined;
    };
    /** The built-in agent console. */
    readonly agentConsole: {
        /** The JSON file of agent accounts (`npm run agent:add` writes it). */
        readonly agentsFile: string;
        /**
         * Signs session cookies and Direct Line tokens; when unset (SQLite only), one is made once and kept in
         * `dataDir` (see loadSigningSecret).
         */
        readonly sessionSecret: string | undefined;
        /** How long a sign-in lasts. */
        readonly sessionHours: number;
        /**
         * The reverse proxies (TRUST_PROXY) whose X-Forwarded-For and X-Forwarded-Proto are believed: for the
         * client's address (rate limits) and whether it used TLS (Secure cookies, HSTS, the links handed out).
         */
        readonly trustProxy: ProxyTrust;
    };
}

/** A setting is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
    readonly code = 'CONFIG_INVALID';
    constructor(message: string) {
        super(message);
        this.name = 'ConfigError';
    }
}

/** Reads and validates the settings from environment variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
    // An empty variable (KNOWLEDGE_DIR= in .env) means "use the default", as if it were not set.
    const given = Object.fromEntries(
        Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
    );
    const parsed = environmentSchema.safeParse(given);
    if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
        throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
    }
    const e = parsed.data;
    if (e.MicrosoftAppId && e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
        throw new ConfigError('Invalid configuration:\n  MicrosoftAppPassword: required when MicrosoftAppId is set');
    }
    if (e.MicrosoftAppType === 'SingleTenant' && e.MicrosoftAppId && !e.MicrosoftAppTenantId) {
        throw new ConfigError(
            'Invalid configuration:\n  MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant',
        );
    }
    if (e.ADMIN_TOKEN && e.ADMIN_TOKEN.length < minimumSessionSecretLength) {
        throw new ConfigError(
            `Invalid configuration:\n  ADMIN_TOKEN: expected a token of at least ${minimumSessionSecretLength} characters`,
        );
    }
    if (e.SESSION_SECRET && e.SESSION_SECRET.length < minimumSessionSecretLength) {
        throw new ConfigError(
            `Invalid configuration:\n  SESSION_SECRET: expected a secret of at least ${minimumSessionSecretLength} characters`,
        );
    }
    const webhookSecrets: Record<string, string> = {};
    for (const [name, value] of Object.entries(given)) {
        if (!webhookSecretVariable.test(name) || value === undefined) continue;
        if (value.trim().length < minimumSecretLength) {
            throw new ConfigError(
                `Invalid configuration:\n  ${name}: expected a secret of at least ${minimumSecretLength} characters`,
            );
        }
        webhookSecrets[name] = value.trim();
    }
    return Object.freeze({
        port: e.PORT,
        host: e.HOST,
        knowledgeDir: path.resolve(e.KNOWLEDGE_DIR),
        dataDir: path.resolve(e.DATA_DIR),
        databaseUrl: e.DATABASE_URL,
        databasePoolSize: e.DATABASE_POOL_SIZE,
        caseRetentionDays: e.CASE_RETENTION_DAYS,
        conversationRetentionHours: e.CONVERSATION_RETENTION_HOURS,
        insightRetentionDays: e.INSIGHT_RETENTION_DAYS,
        logLevel: e.LOG_LEVEL,
        maxMessageLength: e.MAX_MESSAGE_LENGTH,
        maxBodyBytes: e.MAX_BODY_BYTES,
        rateLimits: Object.freeze({
            perAddress: e.RATE_LIMIT_PER_ADDRESS,
            newChatsPerAddress: e.RATE_LIMIT_NEW_CHATS,
            perConversation: e.RATE_LIMIT_PER_CONVERSATION,
            casesPerHour: e.RATE_LIMIT_CASES_PER_HOUR,
        }),
        allowedServiceUrls: e.ALLOWED_SERVICE_URLS,
        channelTimeoutSeconds: e.CHANNEL_TIMEOUT_SECONDS,
        handoffEventChannels: Object.freeze(e.HANDOFF_EVENT_CHANNELS),
        directLine: Object.freeze({ secret: e.DIRECT_LINE_SECRET, url: e.DIRECT_LINE_URL }),
        publicUrl: e.PUBLIC_URL,
        diagnostics: Object.freeze({ staffTenants: e.STAFF_TENANT_IDS, everywhere: e.DIAGNOSTICS === 'true' }),
        knowledgeWatch: e.KNOWLEDGE_WATCH === 'true',
        adminToken: e.ADMIN_TOKEN,
        bot: Object.freeze({
            appId: e.MicrosoftAppId,
            appPassword: e.MicrosoftAppPassword,
            appType: e.MicrosoftAppType,
            tenantId: e.MicrosoftAppTenantId,
        }),
        delivery: Object.freeze({
            webhookSecrets: Object.freeze(webhookSecrets),
            webhookTimeoutSeconds: e.WEBHOOK_TIMEOUT_SECONDS,
            smtpUrl: e.SMTP_URL,
            smtpFrom: e.SMTP_FROM,
        }),
        agentConsole: Object.freeze({
            agentsFile: path.resolve(e.AGENTS_FILE),
            sessionSecret: e.SESSION_SECRET,
            sessionHours: e.SESSION_HOURS,
            trustProxy: e.TRUST_PROXY,
        }),
    });
}
