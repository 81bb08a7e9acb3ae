import type { Server } from 'node:http';
import { addressLimitKey, normalizeAddress, type ProxyTrust } from './proxyTrust';

/** Connections one address may hold open at once: a browser uses a handful; a page of tabs, a few dozen. */
export const connectionsPerAddress = 64;

/**
 * Bounds what a client can hold without completing requests (slow-loris): headers must arrive within 15 s and a
 * whole request within 60 s (Node's defaults are 60 s and 5 minutes), and one address (an IPv6 /64) holds at most
 * `connectionsPerAddress` connections, beyond which new ones are closed at once. The rate limits cannot do this:
 * they run once a request's headers are complete. This machine's own connections (the built-in Direct Line
 * forwarding residents' messages) and listed proxies (which carry many residents) are not counted.
 */
export function limitConnections(server: Server, proxies: ProxyTrust): void {
    server.headersTimeout = 15_000;
    server.requestTimeout = 60_000;
    const open = new Map<string, number>();
    server.on('connection', (socket) => {
        const peer = socket.remoteAddress ?? '';
        if (isLoopback(peer) || proxies.trusts(peer)) return;
        const address = addressLimitKey(peer);
        const count = (open.get(address) ?? 0) + 1;
        if (count > connectionsPerAddress) {
            socket.destroy();
            return;
        }
        open.set(address, count);
        socket.once('close', () => {
            const left = (open.get(address) ?? 1) - 1;
            if (left > 0) open.set(address, left);
            else open.delete(address);
        });
    });
}

function isLoopback(address: string): boolean {
    const normalized = normalizeAddress(address);
    return normalized === '::1' || normalized?.startsWith('127.') === true;
}
