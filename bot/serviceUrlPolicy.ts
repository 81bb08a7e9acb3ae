/**
 * Which `serviceUrl`s an anonymous request may name. Without Bot Framework authentication nothing vouches for
 * the URL the bot would POST its replies to, so an open endpoint would let anyone make the server call any address
 * (server-side request forgery). Replies returned in the HTTP response (`deliveryMode: expectReplies`) need no
 * URL; otherwise only this machine (the Bot Framework Emulator, a local Direct Line) and listed origins are allowed.
 */
export class ServiceUrlPolicy {
    private readonly allowed: ReadonlySet<string>;

    constructor(allowedOrigins: readonly string[]) {
        this.allowed = new Set(allowedOrigins.map((o) => new URL(o).origin));
    }

    /** True when replies may be sent to `serviceUrl` for a request with this delivery mode. */
    permits(serviceUrl: string, deliveryMode: string | undefined): boolean {
        if (deliveryMode === 'expectReplies') return true;
        let url: URL;
        try {
            url = new URL(serviceUrl);
        } catch {
            return false;
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
        return this.allowed.has(url.origin) || isLoopback(url.hostname);
    }
}

function isLoopback(hostname: string): boolean {
    return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
