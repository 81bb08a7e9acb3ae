import { expect } from 'chai';
import { normalizeAddress, ProxyListError, ProxyTrust, type ProxiedRequest } from '../../bot/proxyTrust';

const request = (socket: string, headers: Record<string, string | string[]> = {}): ProxiedRequest => ({
    socket: { remoteAddress: socket },
    headers,
});
const from = (socket: string, forwardedFor: string | string[]) => request(socket, { 'x-forwarded-for': forwardedFor });

describe('ProxyTrust', () => {
    describe('parse (TRUST_PROXY)', () => {
        it('reads addresses and CIDRs, IPv4 and IPv6, ignoring spaces and empty items', () => {
            const trust = ProxyTrust.parse(' 127.0.0.1, 10.0.0.0/8 ,, ::1, fd00::/8, 2001:DB8::/32 ');
            expect(trust.entries).to.deep.equal(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '2001:db8::/32']);
            for (const trusted of ['127.0.0.1', '10.1.2.3', '::1', 'fd12:3456::1', '2001:db8:ffff::9']) {
                expect(trust.trusts(trusted), trusted).to.equal(true);
            }
            for (const untrusted of ['127.0.0.2', '11.0.0.1', '::2', 'fe80::1', '2001:db9::1', '', 'localhost']) {
                expect(trust.trusts(untrusted), untrusted).to.equal(false);
            }
        });

        it('is empty for an empty list, and then trusts nothing (loopback included)', () => {
            const trust = ProxyTrust.parse('');
            expect(trust).to.equal(ProxyTrust.none);
            expect(trust.trusts('127.0.0.1')).to.equal(false);
            expect(trust.trusts('::1')).to.equal(false);
        });

        it('takes IPv4-mapped IPv6 addresses as the IPv4 address they stand for, listed or checked', () => {
            const trust = ProxyTrust.parse('::ffff:127.0.0.1,::ffff:10.0.0.0/104');
            expect(trust.entries).to.deep.equal(['127.0.0.1', '10.0.0.0/8']);
            expect(trust.trusts('127.0.0.1')).to.equal(true);
            expect(trust.trusts('::ffff:10.9.8.7')).to.equal(true);
            expect(ProxyTrust.parse('127.0.0.1').trusts('::ffff:127.0.0.1')).to.equal(true);
            expect(ProxyTrust.parse('127.0.0.1').trusts('::FFFF:7f00:1')).to.equal(true);
            expect(ProxyTrust.parse('0.0.0.0/0').trusts('::1')).to.equal(false);
        });

        it('refuses, naming the entry, anything that is not an address or a CIDR that fits it', () => {
            for (const bad of [
                'true',
                'localhost',
                '10.0.0.0/33',
                '::/129',
                '10.0.0.0/',
                '10.0.0.0/8/8',
                '1.2.3.4:80',
            ]) {
                expect(() => ProxyTrust.parse(`127.0.0.1,${bad}`), bad)
                    .to.throw(ProxyListError)
                    .with.property('message')
                    .that.contains(`"${bad}"`);
            }
            expect(() => ProxyTrust.parse('fe80::1%eth0')).to.throw(ProxyListError);
            expect(() => ProxyTrust.parse('::ffff:10.0.0.0/64')).to.throw(ProxyListError);
        });
    });

    describe('normalizeAddress', () => {
        it('trims, lower-cases IPv6, unmaps IPv4-mapped addresses, and refuses what is not an address', () => {
            expect(normalizeAddress(' 192.0.2.1 ')).to.equal('192.0.2.1');
            expect(normalizeAddress('2001:DB8::1')).to.equal('2001:db8::1');
            expect(normalizeAddress('::ffff:192.0.2.1')).to.equal('192.0.2.1');
            expect(normalizeAddress('::ffff:c000:201')).to.equal('192.0.2.1');
            expect(normalizeAddress('unknown')).to.equal(undefined);
            expect(normalizeAddress('')).to.equal(undefined);
        });
    });

    describe('clientAddress', () => {
        const trust = ProxyTrust.parse('127.0.0.1,10.0.0.0/8,::1');

        it('is the socket’s peer when that is not a trusted proxy, whatever X-Forwarded-For says', () => {
            expect(trust.clientAddress(from('203.0.113.9', '127.0.0.1'))).to.equal('203.0.113.9');
            expect(trust.clientAddress(from('::ffff:203.0.113.9', '10.0.0.1'))).to.equal('203.0.113.9');
            expect(ProxyTrust.none.clientAddress(from('127.0.0.1', '203.0.113.5'))).to.equal('127.0.0.1');
        });

        it('is the socket’s peer behind a trusted proxy that sent no X-Forwarded-For', () => {
            expect(trust.clientAddress(request('::ffff:127.0.0.1'))).to.equal('127.0.0.1');
        });

        it('walks X-Forwarded-For from the right past trusted proxies to the first address that is not one', () => {
            expect(trust.clientAddress(from('127.0.0.1', '203.0.113.5'))).to.equal('203.0.113.5');
            // The client wrote the first two entries; the proxies appended the rest.
            expect(trust.clientAddress(from('127.0.0.1', '127.0.0.1, 198.51.100.1, 203.0.113.5, 10.1.1.1'))).to.equal(
                '203.0.113.5',
            );
            expect(trust.clientAddress(from('::1', '2001:db8::7, ::1'))).to.equal('2001:db8::7');
            expect(trust.clientAddress(from('10.0.0.2', '::ffff:203.0.113.5'))).to.equal('203.0.113.5');
        });

        it('reads every X-Forwarded-For header, in order, as one list', () => {
            expect(trust.clientAddress(from('127.0.0.1', ['198.51.100.1', '203.0.113.5, 10.0.0.3']))).to.equal(
                '203.0.113.5',
            );
        });

        it('accepts the address:port and [IPv6] forms some proxies write', () => {
            expect(trust.clientAddress(from('127.0.0.1', '203.0.113.5:51234'))).to.equal('203.0.113.5');
            expect(trust.clientAddress(from('127.0.0.1', '[2001:db8::9]:443'))).to.equal('2001:db8::9');
            expect(trust.clientAddress(from('127.0.0.1', '[2001:db8::9]'))).to.equal('2001:db8::9');
        });

        it('stops at an entry that is not an address, taking the last trusted hop', () => {
            expect(trust.clientAddress(from('127.0.0.1', '203.0.113.5, unknown'))).to.equal('127.0.0.1');
            expect(trust.clientAddress(from('127.0.0.1', '203.0.113.5, garbage, 10.0.0.7'))).to.equal('10.0.0.7');
            expect(trust.clientAddress(from('127.0.0.1', '203.0.113.5, , 10.0.0.7'))).to.equal('10.0.0.7');
            expect(trust.clientAddress(from('127.0.0.1', '[not-an-ip]:80'))).to.equal('127.0.0.1');
        });

        it('takes the leftmost entry when every entry is a trusted proxy', () => {
            expect(trust.clientAddress(from('127.0.0.1', '10.0.0.9, 10.0.0.8'))).to.equal('10.0.0.9');
        });
    });

    describe('forwardedProto', () => {
        const trust = ProxyTrust.parse('10.0.0.0/8');
        it('is the first X-Forwarded-Proto value, from a trusted proxy only', () => {
            const proto = (socket: string, value: string) =>
                trust.forwardedProto(request(socket, { 'x-forwarded-proto': value }));
            expect(proto('10.0.0.1', 'HTTPS')).to.equal('https');
            expect(proto('10.0.0.1', 'https, http')).to.equal('https');
            expect(proto('::ffff:10.0.0.1', 'https')).to.equal('https');
            expect(proto('127.0.0.1', 'https')).to.equal(undefined);
            expect(trust.forwardedProto(request('10.0.0.1'))).to.equal(undefined);
        });
    });
});
