/** The hosts that may use plain http, so the embed can be tried on a developer's own machine. */
const localHosts: ReadonlySet<string> = new Set(['localhost', '127.0.0.1']);

/**
 * Why `text` is not an origin a partner site can be allowed from, or `undefined` when it is one.
 *
 * Browsers send the `Origin` header in one exact form (lower-case scheme and host, no default port, no path), and
 * it is compared as a string, so anything else written here would silently never match: the origin must be
 * written in that form. https is required because the chat carries residents' details; http is accepted only
 * for localhost and 127.0.0.1 (any port).
 */
export function originProblem(text: string): string | undefined {
    if (text.includes('*')) return 'wildcards are not allowed: list each origin in full';
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return 'expected an origin: a scheme and host with an optional port, such as "https://www.example.org"';
    }
    const origin = url.origin;
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'expected an https:// origin';
    if (url.username || url.password) return `an origin has no user name or password: use "${origin}"`;
    if (url.search || url.hash || /[?#]/.test(text)) return `an origin has no query or fragment: use "${origin}"`;
    if (url.pathname !== '/') return `an origin has no path: use "${origin}"`;
    if (text.endsWith('/')) return `an origin has no trailing slash: use "${origin}"`;
    if (url.protocol === 'http:' && !localHosts.has(url.hostname)) {
        return 'expected https:// (http:// is allowed only for http://localhost and http://127.0.0.1)';
    }
    if (text !== origin) return `expected the origin exactly as browsers send it: "${origin}"`;
    return undefined;
}
