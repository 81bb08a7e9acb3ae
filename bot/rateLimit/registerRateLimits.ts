import { isIP } from 'node:net';
import type restify from 'restify';
import type { Logger } from '../logger';
import { RateLimiter, type Allowance } from './rateLimiter';

/** Requests per minute allowed; 0 turns a limit off. */
export interface RateLimits {
    /** Every request from one address (this machine's own requests excepted). */
    readonly perAddress: number;
    /** New chats (Direct Line tokens) from one address. */
    readonly newChatsPerAddress: number;
    /** Messages in one conversation. */
    readonly perConversation: number;
}

const loopback = (address: string) =>
    address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');

/**
 * The client's address: the socket's, or with `trustProxy` the one the proxy appended to X-Forwarded-For (the
 * last entry: earlier ones are whatever the client sent).
 */
export function clientAddress(req: restify.Request, trustProxy: boolean): string {
    const socket = req.socket?.remoteAddress ?? '';
    if (!trustProxy) return socket;
    const forwarded = req.header('x-forwarded-for')?.split(',').at(-1)?.trim() ?? '';
    return isIP(forwarded) ? forwarded : socket;
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

/**
 * Limits requests per address (all routes) and new chats per address, before any body is read, so a flood costs
 * little. Requests from this machine are not limited: the built-in Direct Line forwards every resident's message
 * from loopback (limited already, by the resident's own address, on the way in). Returns the per-conversation
 * check, for the message route once the body is read. Addresses are never logged (they are personal data).
 */
export function registerRateLimits(
    server: restify.Server,
    limits: RateLimits,
    options: { readonly trustProxy: boolean; readonly log: Logger; readonly now?: () => number },
): { conversation(id: string): Allowance } {
    const limiter = (perMinute: number) => (perMinute > 0 ? new RateLimiter(perMinute, options.now) : undefined);
    const address = limiter(limits.perAddress);
    const newChats = limiter(limits.newChatsPerAddress);
    const conversations = limiter(limits.perConversation);
    server.pre((req, res, next) => {
        const from = clientAddress(req, options.trustProxy);
        if (loopback(from)) return next();
        const chat =
            req.method === 'POST' && req.getPath() === '/api/directline/token' ? newChats?.take(from) : undefined;
        if (chat && refused(res, chat)) {
            options.log.warn('rate.limited', { limit: 'newChats' });
            return next(false);
        }
        if (refused(res, address?.take(from) ?? { ok: true })) {
            options.log.warn('rate.limited', { limit: 'address' });
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
