import { expect } from 'chai';
import { SessionSigner } from '../../../bot/agentConsole/sessionSigner';

const secret = 'a-session-secret-of-enough-length-0123456789';
const now = new Date('2026-11-23T10:00:00Z');
const inEightHours = now.getTime() + 8 * 60 * 60 * 1000;

describe('SessionSigner', () => {
    const signer = new SessionSigner(secret);

    it('signs base64url JSON of the username and expiry, and reads it back', () => {
        const value = signer.sign({ username: 'jo', expires: inEightHours });
        const [payload] = value.split('.');
        expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).to.deep.equal({
            username: 'jo',
            expires: inEightHours,
        });
        expect(signer.verify(value, now)).to.deep.equal({ username: 'jo', expires: inEightHours });
    });

    it('refuses an expired session', () => {
        const value = signer.sign({ username: 'jo', expires: inEightHours });
        expect(signer.verify(value, new Date(inEightHours))).to.equal(undefined);
        expect(signer.verify(value, new Date(inEightHours - 1))).to.not.equal(undefined);
    });

    it('refuses a tampered payload, a forged signature and another secret', () => {
        const value = signer.sign({ username: 'jo', expires: inEightHours });
        const [, signature] = value.split('.');
        const forged = Buffer.from(JSON.stringify({ username: 'manager', expires: inEightHours })).toString(
            'base64url',
        );
        expect(signer.verify(`${forged}.${signature}`, now)).to.equal(undefined);
        expect(signer.verify(`${value.split('.')[0]}.${'A'.repeat(43)}`, now)).to.equal(undefined);
        expect(new SessionSigner(`${secret}-other`).verify(value, now)).to.equal(undefined);
    });

    it('refuses malformed values without throwing', () => {
        for (const bad of [undefined, '', 'abc', 'a.b.c', '.', `${'x'.repeat(3000)}.y`, '%%%.%%%']) {
            expect(signer.verify(bad, now), String(bad)).to.equal(undefined);
        }
        const notJson = Buffer.from('not json').toString('base64url');
        const signerMac = signer.sign({ username: 'x', expires: 1 }); // a real signature of some other payload
        expect(signer.verify(`${notJson}.${signerMac.split('.')[1]}`, now)).to.equal(undefined);
    });

    it('binds the CSRF token to one session id', () => {
        const token = signer.csrfToken('session-a');
        expect(signer.verifyCsrf('session-a', token)).to.equal(true);
        expect(signer.verifyCsrf('session-b', token)).to.equal(false);
        expect(signer.verifyCsrf('session-a', '')).to.equal(false);
        expect(signer.verifyCsrf('session-a', undefined)).to.equal(false);
        expect(signer.verifyCsrf('session-a', ['x'])).to.equal(false);
        expect(signer.verifyCsrf(undefined, token)).to.equal(false);
        expect(new SessionSigner(`${secret}-other`).verifyCsrf('session-a', token)).to.equal(false);
    });
});
