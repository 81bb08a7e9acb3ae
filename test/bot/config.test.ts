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

    it('requires a password with an app id', () => {
        expect(() => loadConfig({ MicrosoftAppId: 'abc' })).to.throw(ConfigError, /MicrosoftAppPassword/);
    });
});
