import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { projectRoot } from '../../bot/config';

/**
 * The service's environment for a soak: loopback, a port of its own, a scratch data folder, the sample knowledge,
 * and nothing from the caller's settings that could reach outside this machine or change what is measured.
 */
export function soakEnvironment(dataDir: string, databaseUrl: string | undefined): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(
        // Webhook secrets would switch on delivery for teams that have a webhook in a council's own knowledge.
        Object.entries(process.env).filter(([name]) => !name.startsWith('WEBHOOK_SECRET')),
    );
    return {
        ...inherited,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        KNOWLEDGE_DIR: path.join(projectRoot, 'knowledge', 'sample'),
        AGENTS_FILE: path.join(dataDir, 'agents.json'),
        SESSION_SECRET: randomBytes(24).toString('hex'),
        // Empty means unset to the service, and dotenv never overrides a variable that exists: a developer's .env
        // cannot turn the soak towards Azure, a real mail server or another database.
        DATABASE_URL: databaseUrl ?? '',
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
        DIRECT_LINE_SECRET: '',
        PUBLIC_URL: '',
        ALLOWED_SERVICE_URLS: '',
        SMTP_URL: '',
        SMTP_FROM: '',
        TRUST_PROXY: 'false',
        DIAGNOSTICS: 'false',
        // Every simulated resident shares this machine's address: per-address limits would measure themselves.
        RATE_LIMIT_PER_ADDRESS: '0',
        RATE_LIMIT_NEW_CHATS: '0',
        RATE_LIMIT_CASES_PER_HOUR: '0',
    };
}
