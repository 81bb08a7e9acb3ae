/**
 * Where the server may send Bot Framework activities (a turn's replies, and proactive messages: an agent joining,
 * an agent's words, a chat timing out or ending). A `serviceUrl` arrives in the activity, so without Bot Framework
 * authentication nothing vouches for it: an open endpoint would let anyone make the server POST anywhere
 * (server-side request forgery), and a case keeps the URL for later. The policy is therefore checked where the
 * server *sends* (`guardedHttpClient`, every connector call and every redirect hop), and where a turn comes in.
 *
 * Permitted: this instance's own built-in Direct Line, the URLs in ALLOWED_SERVICE_URLS (origin and path prefix),
 * and, when an app id is set (so Bot Framework authentication vouches for each incoming serviceUrl), Microsoft's
 * channel hosts. Nothing else: no other local port, no metadata address.
 */
export class ServiceUrlPolicy {
    private readonly allowed: readonly { origin: string; path: string }[];

    constructor(
        allowedUrls: readonly string[],
        private readonly options: {
            /** An app id is set: Bot Framework authentication checks each incoming activity's serviceUrl. */
            readonly botFrameworkChannels: boolean;
            /** The built-in Direct Line's connector URL on this instance, once it is listening (none without it). */
            readonly ownDirectLine?: () => string | undefined;
        },
    ) {
        this.allowed = allowedUrls.map((text) => {
            const url = new URL(text);
            return { origin: url.origin, path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/` };
        });
    }

    /** True when the server may send to `serviceUrl` (or to any URL under it). */
    permits(serviceUrl: string | undefined): boolean {
        if (!serviceUrl) return false;
        let url: URL;
        try {
            url = new URL(serviceUrl);
        } catch {
            return false;
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
        // Credentials in a URL would be sent along; no channel's URL has them.
        if (url.username || url.password) return false;
        // An encoded slash, backslash or dot could leave an allowed path prefix at a server that decodes before it
        // resolves "..": no channel's URL has them either.
        if (/%(2f|5c|2e)/i.test(url.pathname)) return false;
        const own = this.options.ownDirectLine?.();
        if (own && (url.href === own || url.href.startsWith(`${own}/`))) return true;
        const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
        if (this.allowed.some((a) => a.origin === url.origin && path.startsWith(a.path))) return true;
        return this.options.botFrameworkChannels && url.protocol === 'https:' && isBotFrameworkHost(url);
    }

    /**
     * True when a request naming `serviceUrl` may start a turn: replies returned in the HTTP response
     * (`expectReplies`) need no URL (but nothing is ever sent to one the policy does not permit).
     */
    permitsIncoming(serviceUrl: string, deliveryMode: string | undefined): boolean {
        return deliveryMode === 'expectReplies' || this.permits(serviceUrl);
    }
}

/**
 * Microsoft's channel services: Teams (`smba.trafficmanager.net`, and the US government clouds), Direct Line and
 * Web Chat (`*.botframework.com`, `*.botframework.azure.us`). Only believed when an app id is set.
 */
const botFrameworkHosts = [/^smba\.trafficmanager\.net$/, /(^|\.)botframework\.com$/, /(^|\.)botframework\.azure\.us$/];
const governmentTeamsHosts = /^smba\.infra\.(gcc|gov)\.teams\.microsoft\.(us|com)$/;

function isBotFrameworkHost(url: URL): boolean {
    if (url.port !== '') return false;
    return botFrameworkHosts.some((host) => host.test(url.hostname)) || governmentTeamsHosts.test(url.hostname);
}

/** The server refused to send to a URL the policy does not permit. */
export class OutboundRefusedError extends Error {
    readonly code = 'OUTBOUND_REFUSED';
    constructor() {
        // The URL itself is not in the message: it came from an untrusted request.
        super('refused to send to a serviceUrl that is not allowed (see ALLOWED_SERVICE_URLS)');
        this.name = 'OutboundRefusedError';
    }
}
