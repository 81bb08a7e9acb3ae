import type restify from 'restify';
import type { ProxyTrust } from '../proxyTrust';

/** How this service's public origin is found for links it hands out (Direct Line, the embed). */
export interface OriginSettings {
    /** PUBLIC_URL: when set, the origin, whatever the request says (behind any proxy). */
    readonly publicUrl: string | undefined;
    /** The proxies (TRUST_PROXY) whose X-Forwarded-Proto is believed when there is no PUBLIC_URL. */
    readonly trustProxy: ProxyTrust;
}

/** True when the request came over TLS, directly or through a trusted proxy (its socket's peer) saying so. */
export function requestIsSecure(req: restify.Request, trustProxy: ProxyTrust): boolean {
    if (req.isSecure()) return true;
    return trustProxy.forwardedProto(req) === 'https';
}

/** This service's origin as browsers see it: PUBLIC_URL's, or else the request's scheme and Host. */
export function serviceOrigin(req: restify.Request, settings: OriginSettings): string {
    if (settings.publicUrl) return new URL(settings.publicUrl).origin;
    return `${requestIsSecure(req, settings.trustProxy) ? 'https' : 'http'}://${req.header('host') ?? 'localhost'}`;
}

/**
 * True when a browser says the request comes from one of this service's own pages: `Sec-Fetch-Site:
 * same-origin` (which proxies do not rewrite), or an Origin header equal to the service's origin. A request
 * without either (not from a browser) counts too: such a client could send any header it liked.
 */
export function fromOwnPage(req: restify.Request, origin: string): boolean {
    const site = req.header('sec-fetch-site');
    if (site) return site === 'same-origin';
    const from = req.header('origin');
    return from === undefined || from === origin;
}

/** The query string's parameters, or none when the URL cannot be parsed. */
export function queryOf(req: restify.Request): URLSearchParams {
    try {
        return new URL(req.url ?? '/', 'http://service').searchParams;
    } catch {
        return new URLSearchParams();
    }
}
