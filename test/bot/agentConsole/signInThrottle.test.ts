import { expect } from 'chai';
import { SignInThrottle } from '../../../bot/agentConsole/signInThrottle';

describe('SignInThrottle', () => {
    it('locks after five failures for a minute, doubling with each further failure up to an hour', () => {
        let now = 0;
        const throttle = new SignInThrottle(() => now);
        for (let i = 0; i < 4; i++) throttle.failed('a');
        expect(throttle.waitSeconds('a')).to.equal(0);
        throttle.failed('a');
        expect(throttle.waitSeconds('a')).to.equal(60);
        now += 60_000;
        expect(throttle.waitSeconds('a')).to.equal(0);
        throttle.failed('a');
        expect(throttle.waitSeconds('a')).to.equal(120);
        for (let i = 0; i < 20; i++) throttle.failed('a');
        expect(throttle.waitSeconds('a')).to.equal(3600);
        expect(throttle.waitSeconds('b')).to.equal(0);
    });

    it('clears the count after a successful sign-in', () => {
        const throttle = new SignInThrottle(() => 0);
        for (let i = 0; i < 4; i++) throttle.failed('a');
        throttle.succeeded('a');
        throttle.failed('a');
        expect(throttle.waitSeconds('a')).to.equal(0);
    });
});
