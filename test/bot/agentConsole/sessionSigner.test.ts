import { expect } from 'chai';
import { SessionSigner } from '../../../bot/agentConsole/sessionSigner';
import { mac } from '../../../bot/signedValue';

const secret = 'a-session-secret-of-enough-length-0123456789';
const now = new Date('2026-11-23T10:00:00Z');
const inEightHours = now.getTime() + 8 * 60 * 60 * 1000;
const hash = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

describe('SessionSigner', () => {
    const signer = new SessionSigner(secret);
    const jo = { username: 'jo', expires: inEightHours, generation: 0, passwordKey: signer.passwordKey(hash) };

    it('signs base64url JSON of the username, expiry, generation and password key, and reads it back', () => {
        const value = signer.sign({ ...jo, generation: 3 });
        const [payload] = value.split('.');
        expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).to.deep.equal({
            username: 'jo',
            expires: inEightHours,
            generation: 3,
            passwordKey: jo.passwordKey,
        });
        expect(signer.verify(value, now)).to.deep.equal({ ...jo, generation: 3 });
    });

    it('refuses a cookie made before sessions carried a generation and password key', () => {
        const old = Buffer.from(JSON.stringify({ username: 'jo', expires: inEightHours })).toString('base64url');
        // Signed properly, by the same secret, but of the old shape.
        expect(signer.verify(`${old}.${mac(secret, old)}`, now)).to.equal(undefined);
    });

    it('binds a session to the password hash by a keyed fingerprint that reveals nothing of it', () => {
        const session = signer.verify(signer.sign(jo), now);
        expect(session && signer.matchesPassword(session, hash)).to.equal(true);
        expect(session && signer.matchesPassword(session, hash.replace('c2Fsd', 'c2Fse'))).to.equal(false);
        expect(jo.passwordKey).to.match(/^[A-Za-z0-9_-]{16}$/);
        expect(hash).to.not.contain(jo.passwordKey);
        expect(new SessionSigner(`${secret}-other`).passwordKey(hash)).to.not.equal(jo.passwordKey);
    });

    it('refuses an expired session', () => {
        const value = signer.sign(jo);
        expect(signer.verify(value, new Date(inEightHours))).to.equal(undefined);
        expect(signer.verify(value, new Date(inEightHours - 1))).to.not.equal(undefined);
    });

    it('refuses a tampered payload, a forged signature and another secret', () => {
        const value = signer.sign(jo);
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
        const signerMac = signer.sign({ ...jo, username: 'x', expires: 1 }); // a real signature of some other payload
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
