/** The cookies of a `Cookie` header by name; a malformed pair is ignored rather than failing the request. */
export function parseCookies(header: string | undefined): Map<string, string> {
    const cookies = new Map<string, string>();
    for (const pair of (header ?? '').split(';').map((p) => p.trim())) {
        const at = pair.indexOf('=');
        if (at < 1) continue;
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        // The first wins: a browser sends the most specific path first.
        if (!cookies.has(name)) cookies.set(name, value);
    }
    return cookies;
}

/** How a console cookie is set. */
export interface CookieOptions {
    /** Seconds; 0 deletes the cookie. */
    readonly maxAge: number;
    /** Only over TLS: set when the request itself came over TLS. */
    readonly secure: boolean;
}

/** A `Set-Cookie` value scoped to the agent console, never readable by scripts nor sent from other sites. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
    const parts = [`${name}=${value}`, 'Path=/agent', `Max-Age=${options.maxAge}`, 'HttpOnly', 'SameSite=Strict'];
    if (options.secure) parts.push('Secure');
    return parts.join('; ');
}
