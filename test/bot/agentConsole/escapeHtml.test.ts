import { expect } from 'chai';
import { parseCookies, serializeCookie } from '../../../bot/agentConsole/cookies';
import { escapeHtml } from '../../../bot/agentConsole/escapeHtml';
import { formatWaiting } from '../../../bot/agentConsole/formatWaiting';

describe('escapeHtml', () => {
    it('escapes the characters that could start markup or leave an attribute', () => {
        expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).to.equal(
            '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
        );
        expect(escapeHtml('plain text')).to.equal('plain text');
    });
});

describe('console cookies', () => {
    it('parses a Cookie header, ignoring malformed pairs', () => {
        const cookies = parseCookies('a=1; broken; =x; b = two ; a=ignored');
        expect([...cookies]).to.deep.equal([
            ['a', '1'],
            ['b', 'two'],
        ]);
        expect(parseCookies(undefined).size).to.equal(0);
    });

    it('scopes cookies to /agent, HttpOnly and SameSite=Strict, Secure only over TLS', () => {
        expect(serializeCookie('s', 'v', { maxAge: 60, secure: false })).to.equal(
            's=v; Path=/agent; Max-Age=60; HttpOnly; SameSite=Strict',
        );
        expect(serializeCookie('s', '', { maxAge: 0, secure: true })).to.match(/Max-Age=0; .*; Secure$/);
    });
});

describe('formatWaiting', () => {
    it('says how long a case has waited in the two largest units', () => {
        const minute = 60_000;
        expect(formatWaiting(30_000)).to.equal('less than a minute');
        expect(formatWaiting(minute)).to.equal('1 minute');
        expect(formatWaiting(125 * minute)).to.equal('2 hours 5 minutes');
        expect(formatWaiting(60 * minute)).to.equal('1 hour');
        expect(formatWaiting(28 * 60 * minute)).to.equal('1 day 4 hours');
    });
});
