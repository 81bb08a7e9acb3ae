import { expect } from 'chai';
import { originProblem } from '../../knowledge/origin';

describe('originProblem', () => {
    it('accepts https origins, with or without a port', () => {
        for (const origin of [
            'https://www.riversidehousing.example',
            'https://libraries.anytown.gov.uk',
            'https://www.example.org:8443',
            'https://localhost',
        ]) {
            expect(originProblem(origin), origin).to.equal(undefined);
        }
    });

    it('accepts plain http only for localhost and 127.0.0.1, with any port or none', () => {
        for (const origin of [
            'http://localhost:8090',
            'http://localhost',
            'http://127.0.0.1:3000',
            'http://127.0.0.1',
        ]) {
            expect(originProblem(origin), origin).to.equal(undefined);
        }
    });

    it('rejects plain http anywhere else', () => {
        for (const origin of ['http://www.example.org', 'http://192.168.1.10:8090', 'http://localhost.example.org']) {
            expect(originProblem(origin), origin).to.equal(
                'expected https:// (http:// is allowed only for http://localhost and http://127.0.0.1)',
            );
        }
    });

    it('rejects a path, naming the origin to write instead', () => {
        expect(originProblem('https://www.example.org/tenants')).to.equal(
            'an origin has no path: use "https://www.example.org"',
        );
        expect(originProblem('http://localhost:8090/partner.html')).to.equal(
            'an origin has no path: use "http://localhost:8090"',
        );
    });

    it('rejects a trailing slash', () => {
        expect(originProblem('https://www.example.org/')).to.equal(
            'an origin has no trailing slash: use "https://www.example.org"',
        );
    });

    it('rejects a query or a fragment', () => {
        for (const origin of ['https://www.example.org?embed=1', 'https://www.example.org#chat', 'https://x.org?']) {
            expect(originProblem(origin), origin).to.match(/^an origin has no query or fragment: use "https:\/\//);
        }
    });

    it('rejects a user name or password', () => {
        expect(originProblem('https://admin:secret@www.example.org')).to.equal(
            'an origin has no user name or password: use "https://www.example.org"',
        );
    });

    it('rejects wildcards', () => {
        expect(originProblem('https://*.example.org')).to.equal('wildcards are not allowed: list each origin in full');
    });

    it('rejects other schemes and text that is not a URL', () => {
        expect(originProblem('ftp://files.example.org')).to.equal('expected an https:// origin');
        for (const origin of ['www.example.org', 'example', '']) {
            expect(originProblem(origin), origin).to.match(/^expected an origin: a scheme and host/);
        }
    });

    it('rejects forms a browser never sends, because they would never match its Origin header', () => {
        expect(originProblem('https://WWW.Example.org')).to.equal(
            'expected the origin exactly as browsers send it: "https://www.example.org"',
        );
        expect(originProblem('https://www.example.org:443')).to.equal(
            'expected the origin exactly as browsers send it: "https://www.example.org"',
        );
        expect(originProblem('https:www.example.org')).to.equal(
            'expected the origin exactly as browsers send it: "https://www.example.org"',
        );
    });
});
