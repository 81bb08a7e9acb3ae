import { expect } from 'chai';
import { capturedLogger } from '../helpers/capturedLogger';

describe('logger', () => {
    const secrets = {
        email: 'jane.doe@example.com',
        mobile: '07700 900123',
        landline: '01632 960000',
        postcode: 'AN1 1AA',
        nino: 'QQ 12 34 56 C',
        card: '4111 1111 1111 1111',
    };

    it('writes JSON events', () => {
        const { log, lines } = capturedLogger();
        log.info('route.decided', { outcome: 'answer' });
        expect(JSON.parse(lines[0] as string)).to.include({
            message: 'route.decided',
            outcome: 'answer',
            level: 'info',
        });
    });

    it('redacts personal data in messages, fields, nested objects and errors', () => {
        const { log, lines } = capturedLogger();
        const text = Object.values(secrets).join(' and ');
        log.debug(`resident said ${text}`, { text, nested: { deeper: [text] }, error: new Error(text) });
        const out = lines.join('\n');
        for (const [kind, value] of Object.entries(secrets)) {
            expect(out, kind).to.not.contain(value);
        }
        expect(out).to.contain('[email]');
        expect(out).to.contain('[postcode]');
    });

    it('leaves debug lines out at info level', () => {
        const { log, lines } = capturedLogger('info');
        log.debug('resident.text', { text: 'hello' });
        expect(lines).to.have.length(0);
    });
});
