import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../bot/config';

describe('loadConfig', () => {
    it('has working defaults: port 3978, the sample knowledge, anonymous', () => {
        const config = loadConfig({});
        expect(config.port).to.equal(3978);
        expect(config.knowledgeDir).to.match(/knowledge[/\\]sample$/);
        expect(config.bot.appId).to.equal(undefined);
        expect(Object.isFrozen(config)).to.equal(true);
    });

    it('treats empty variables as unset (an empty MicrosoftAppId is anonymous)', () => {
        const config = loadConfig({ MicrosoftAppId: '  ', KNOWLEDGE_DIR: '', PORT: '' });
        expect(config.bot.appId).to.equal(undefined);
        expect(config.knowledgeDir).to.match(/knowledge[/\\]sample$/);
        expect(config.port).to.equal(3978);
    });

    it('names the variable that is wrong', () => {
        expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /PORT/);
        expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw(ConfigError, /LOG_LEVEL/);
    });

    it('reads comma-separated lists, trimmed, and names the variable when an item is wrong', () => {
        const config = loadConfig({
            ALLOWED_SERVICE_URLS: ' https://directline.example.gov.uk , http://localhost:5000',
            HANDOFF_EVENT_CHANNELS: 'directline, omnichannel,',
        });
        expect(config.allowedServiceUrls).to.deep.equal(['https://directline.example.gov.uk', 'http://localhost:5000']);
        expect(config.handoffEventChannels).to.deep.equal(['directline', 'omnichannel']);
        expect(loadConfig({}).handoffEventChannels).to.deep.equal([]);
        expect(() => loadConfig({ ALLOWED_SERVICE_URLS: 'ftp://x.test' })).to.throw(
            ConfigError,
            /ALLOWED_SERVICE_URLS/,
        );
        expect(() => loadConfig({ HANDOFF_EVENT_CHANNELS: 'web chat' })).to.throw(
            ConfigError,
            /HANDOFF_EVENT_CHANNELS/,
        );
    });

    it('requires a password with an app id', () => {
        expect(() => loadConfig({ MicrosoftAppId: 'abc' })).to.throw(ConfigError, /MicrosoftAppPassword/);
    });
});

describe('loadConfig: delivery settings', () => {
    it('collects the webhook secrets by variable name, and the SMTP settings', () => {
        const { delivery } = loadConfig({
            WEBHOOK_SECRET: 'shared-secret-0123456789',
            WEBHOOK_SECRET_WASTE: ' waste-secret-0123456789 ',
            WEBHOOK_SECRETS_ARE_FUN: 'not a secret variable',
            SMTP_URL: 'smtps://user:password@mail.anytown.gov.uk:465',
            SMTP_FROM: 'Anytown Assistant <assistant@anytown.gov.uk>',
            WEBHOOK_TIMEOUT_SECONDS: '25',
        });
        expect(delivery).to.deep.equal({
            webhookSecrets: {
                WEBHOOK_SECRET: 'shared-secret-0123456789',
                WEBHOOK_SECRET_WASTE: 'waste-secret-0123456789',
            },
            webhookTimeoutSeconds: 25,
            smtpUrl: 'smtps://user:password@mail.anytown.gov.uk:465',
            smtpFrom: 'Anytown Assistant <assistant@anytown.gov.uk>',
        });
        expect(loadConfig({}).delivery).to.deep.equal({
            webhookSecrets: {},
            webhookTimeoutSeconds: 10,
            smtpUrl: undefined,
            smtpFrom: undefined,
        });
    });

    it('names a webhook secret that is too short to be safe, and SMTP settings that are malformed', () => {
        expect(() => loadConfig({ WEBHOOK_SECRET_WASTE: 'secret' })).to.throw(
            ConfigError,
            /WEBHOOK_SECRET_WASTE: .*16/,
        );
        expect(() => loadConfig({ SMTP_URL: 'mail.anytown.gov.uk' })).to.throw(ConfigError, /SMTP_URL/);
        expect(() => loadConfig({ SMTP_FROM: 'the assistant' })).to.throw(ConfigError, /SMTP_FROM/);
    });
});

describe('loadConfig: agent console settings', () => {
    it('defaults to ./agents.json, 8-hour sessions, no secret and no trusted proxy', () => {
        const { agentConsole } = loadConfig({});
        expect(agentConsole.agentsFile).to.match(/agents\.json$/);
        expect(agentConsole).to.deep.include({ sessionSecret: undefined, sessionHours: 8 });
        expect(agentConsole.trustProxy.entries).to.deep.equal([]);
        expect(agentConsole.trustProxy.trusts('127.0.0.1')).to.equal(false);
    });

    it('reads TRUST_PROXY as a list of proxy addresses and CIDRs; false (the old default) as none', () => {
        const { trustProxy } = loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).agentConsole;
        expect(trustProxy.entries).to.deep.equal(['127.0.0.1', '10.0.0.0/8', '::1']);
        expect(trustProxy.trusts('10.20.30.40')).to.equal(true);
        expect(loadConfig({ TRUST_PROXY: 'false' }).agentConsole.trustProxy.entries).to.deep.equal([]);
    });

    it('names a session secret that is too short, and a TRUST_PROXY entry that is not an address or CIDR', () => {
        expect(() => loadConfig({ SESSION_SECRET: 'short' })).to.throw(ConfigError, /SESSION_SECRET: .*32/);
        expect(() => loadConfig({ TRUST_PROXY: 'yes' })).to.throw(
            ConfigError,
            /^Invalid configuration:\n {2}TRUST_PROXY: "yes" is not/,
        );
        expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' })).to.throw(
            ConfigError,
            /TRUST_PROXY: "10\.0\.0\.0\/40"/,
        );
    });

    it('refuses TRUST_PROXY=true, which believed any client, saying to list the proxy addresses', () => {
        for (const value of ['true', 'TRUE', ' true ']) {
            expect(() => loadConfig({ TRUST_PROXY: value })).to.throw(
                ConfigError,
                /^Invalid configuration:\n {2}TRUST_PROXY: true is no longer accepted .*: list the proxy addresses/,
            );
        }
    });
});
