import type restify from 'restify';
import type { Logger } from '../logger';
import { addressLimitKey, type ProxyTrust } from '../proxyTrust';
import { RateLimiter, type Allowance } from './rateLimiter';

/** Requests per minute allowed; 0 turns a limit off. */
export interface RateLimits {
    /** Every request from one address (this machine's own requests excepted). */
    readonly perAddress: number;
    /** New chats (Direct Line tokens) from one address. */
    readonly newChatsPerAddress: number;
    /** Messages in one conversation. */
    readonly perConversation: number;
    /** Cases (requests for a person) from one resident's address an hour (see CaseGuard). */
    readonly casesPerHour: number;
}

/** Who a limit counts a request against: the client's address (see ProxyTrust), an IPv6 one by its /64. */
export function clientLimitKey(req: restify.Request, trustProxy: ProxyTrust): string {
    return addressLimitKey(trustProxy.clientAddress(req));
}

/** Answers 429 with Retry-After; false when the request may go on. */
export function refused(res: restify.Response, allowance: Allowance): boolean {
    if (allowance.ok) return false;
    res.header('retry-after', String(allowance.retryAfterSeconds));
    res.send(429, {
        error: 'too_many_requests',
        message: `Too many requests: try again in ${allowance.retryAfterSeconds} seconds.`,
    });
    return true;
}

/** The route (as registered, whatever spelling of its path a request used) limited to new chats per address. */
const newChatRoute = { method: 'POST', path: '/api/directline/token' };

/**
 * Limits requests per address (all routes) before anything is routed or read, so a flood costs little; and new
 * chats per address on the token route as restify matched it (`/api/directline/%74oken` and `…/token;x` reach the
 * same handler, so the limit is on the route, not the spelling). `exempt` requests are not limited: the built-in
 * Direct Line's own calls (each resident's message was limited by the resident's address on the way in), which
 * prove themselves with a secret, never by coming from loopback (a proxy on this machine makes every client
 * loopback). Returns the per-conversation check, for the message route once the body is read. Addresses are never
 * logged (they are personal data).
 */
export function registerRateLimits(
    server: restify.Server,
    limits: RateLimits,
    options: {
        readonly trustProxy: ProxyTrust;
        readonly log: Logger;
        readonly now?: () => number;
        readonly exempt?: (req: restify.Request) => boolean;
    },
): { conversation(id: string): Allowance } {
    const limiter = (perMinute: number) => (perMinute > 0 ? new RateLimiter(perMinute, options.now) : undefined);
    const address = limiter(limits.perAddress);
    const newChats = limiter(limits.newChatsPerAddress);
    const conversations = limiter(limits.perConversation);
    const exempt = options.exempt ?? (() => false);
    server.pre((req, res, next) => {
        if (exempt(req)) return next();
        if (refused(res, address?.take(clientLimitKey(req, options.trustProxy)) ?? { ok: true })) {
            options.log.warn('rate.limited', { limit: 'address' });
            return next(false);
        }
        return next();
    });
    server.use((req, res, next) => {
        const route = req.getRoute();
        if (!newChats || route?.method !== newChatRoute.method || route.path !== newChatRoute.path) return next();
        if (refused(res, newChats.take(clientLimitKey(req, options.trustProxy)))) {
            options.log.warn('rate.limited', { limit: 'newChats' });
            return next(false);
        }
        return next();
    });
    return {
        conversation: (id) => {
            const allowance = conversations?.take(id) ?? { ok: true };
            if (!allowance.ok) options.log.warn('rate.limited', { limit: 'conversation' });
            return allowance;
        },
    };
}
