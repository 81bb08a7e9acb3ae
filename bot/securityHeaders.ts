import type restify from 'restify';
import { requestIsSecure } from './channels/serviceOrigin';
import type { ProxyTrust } from './proxyTrust';

/**
 * Headers every response gets unless its route sets its own (pages set a stricter Content-Security-Policy with
 * their nonce, and the partner embed its sites' frame-ancestors): nothing is sniffed, framed or sent as a referrer,
 * and over TLS browsers are told to keep to it (HSTS).
 */
export function registerSecurityHeaders(server: restify.Server, trustProxy: ProxyTrust): void {
    server.pre((req, res, next) => {
        res.header('x-content-type-options', 'nosniff');
        res.header('referrer-policy', 'no-referrer');
        res.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
        if (requestIsSecure(req, trustProxy)) res.header('strict-transport-security', 'max-age=31536000');
        return next();
    });
}
