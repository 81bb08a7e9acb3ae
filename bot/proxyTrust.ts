import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** A TRUST_PROXY entry that is neither an address nor a CIDR; the message names it. */
export class ProxyListError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ProxyListError';
    }
}

/** What ProxyTrust reads of a request: the socket's peer and the headers (a restify request is one). */
export type ProxiedRequest = Pick<IncomingMessage, 'headers'> & {
    readonly socket?: { readonly remoteAddress?: string } | null;
};

const mappedDotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/**
 * An IP address as the service compares and keys it: trimmed, IPv6 in lower case, an IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`) as the IPv4 address it stands for; undefined when it is not an address.
 */
export function normalizeAddress(text: string | undefined): string | undefined {
    const address = (text ?? '').trim().toLowerCase();
    const version = isIP(address);
    if (version === 4) return address;
    if (version !== 6) return undefined;
    const dotted = mappedDotted.exec(address);
    if (dotted) return dotted[1];
    const hex = mappedHex.exec(address);
    if (hex) {
        const [high, low] = [parseInt(hex[1] ?? '0', 16), parseInt(hex[2] ?? '0', 16)];
        return [high >> 8, high & 255, low >> 8, low & 255].join('.');
    }
    return address;
}

/**
 * What limits count an address as: an IPv4 address as itself, an IPv6 address by its /64, since one host or
 * household is given a whole /64 and could otherwise change address at will.
 */
export function addressLimitKey(text: string): string {
    const address = normalizeAddress(text) ?? text;
    if (!address.includes(':')) return address;
    const [head = '', tail] = address.split('::');
    const groups = head ? head.split(':') : [];
    if (tail !== undefined) {
        const rest = tail ? tail.split(':') : [];
        groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest);
    }
    return `${groups.slice(0, 4).join(':')}::/64`;
}

/**
 * One X-Forwarded-For entry as an address: a bare address, or the `1.2.3.4:port`, `[2001:db8::1]` and
 * `[2001:db8::1]:port` forms some proxies write; undefined for anything else (`unknown`, a name, garbage).
 */
function forwardedEntry(entry: string): string | undefined {
    const text = entry.trim();
    const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
    if (bracketed) return isIP(bracketed[1] ?? '') === 6 ? normalizeAddress(bracketed[1]) : undefined;
    const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
    return normalizeAddress(withPort ? withPort[1] : text);
}

/** The values of a header that may be sent several times, as one comma-separated list. */
function headerList(value: string | string[] | undefined): string[] {
    const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
    return joined === '' ? [] : joined.split(',');
}

/**
 * Which reverse proxies in front of the service are believed (TRUST_PROXY: addresses and CIDRs, IPv4 and IPv6).
 * A request's forwarded headers (X-Forwarded-For, X-Forwarded-Proto) count only when its socket's peer is one of
 * them: anyone else reaching the service directly could write whatever they liked there.
 */
export class ProxyTrust {
    /** Trusts no proxy: every request is taken as it arrives on the socket. */
    static readonly none = new ProxyTrust([]);

    private readonly list = new BlockList();

    private constructor(
        /** The entries as given (normalised), for messages and tests. */
        readonly entries: readonly string[],
    ) {
        for (const entry of entries) {
            const [address = '', prefix] = entry.split('/');
            const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
            if (prefix === undefined) this.list.addAddress(address, type);
            else this.list.addSubnet(address, Number(prefix), type);
        }
    }

    /**
     * Reads a comma-separated list such as `127.0.0.1,10.0.0.0/8,::1`; empty trusts nothing. Throws ProxyListError
     * naming the first entry that is not an IPv4 or IPv6 address, or a CIDR with a prefix length that fits it.
     */
    static parse(list: string): ProxyTrust {
        const entries: string[] = [];
        for (const raw of list.split(',')) {
            const entry = raw.trim();
            if (entry === '') continue;
            const [given = '', prefix, extra] = entry.split('/');
            const address = normalizeAddress(given);
            // A zone (fe80::1%eth0) names an interface of this machine, not a proxy's address.
            if (address === undefined || address.includes('%') || extra !== undefined) {
                throw new ProxyListError(`"${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
            }
            const version = isIP(address);
            if (prefix === undefined) {
                entries.push(address);
                continue;
            }
            // A mapped address with its IPv6 prefix (::ffff:10.0.0.0/104) becomes the IPv4 block it stands for.
            const mapped = version === 4 && isIP(given.trim()) === 6 ? 96 : 0;
            const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) - mapped : NaN;
            if (!(bits >= 0 && bits <= (version === 4 ? 32 : 128))) {
                throw new ProxyListError(`"${entry}": the prefix length must be 0 to ${version === 4 ? 32 : 128}`);
            }
            entries.push(`${address}/${bits}`);
        }
        return entries.length === 0 ? ProxyTrust.none : new ProxyTrust(entries);
    }

    /** True when `address` (a socket's peer, an X-Forwarded-For entry) is one of the trusted proxies. */
    trusts(address: string | undefined): boolean {
        const normalized = normalizeAddress(address);
        if (normalized === undefined || this.entries.length === 0) return false;
        try {
            return this.list.check(normalized, isIP(normalized) === 4 ? 'ipv4' : 'ipv6');
        } catch {
            // An address BlockList cannot compare (an IPv6 zone) is not a listed proxy.
            return false;
        }
    }

    /**
     * The client's address. When the socket's peer is a trusted proxy, X-Forwarded-For is walked from the right
     * (each proxy appends the address it was reached from): entries that are themselves trusted proxies are
     * skipped, and the first that is not is the client. An entry that is not an address stops the walk at the last
     * trusted hop (nothing to its left can be believed); so does reaching the left end with every entry trusted.
     * Otherwise the socket's peer. IPv4-mapped IPv6 addresses come back as IPv4.
     */
    clientAddress(req: ProxiedRequest): string {
        const raw = req.socket?.remoteAddress ?? '';
        const socket = normalizeAddress(raw) ?? raw;
        if (!this.trusts(socket)) return socket;
        let lastTrusted = socket;
        for (const entry of headerList(req.headers['x-forwarded-for']).reverse()) {
            const address = forwardedEntry(entry);
            if (address === undefined) return lastTrusted;
            if (!this.trusts(address)) return address;
            lastTrusted = address;
        }
        return lastTrusted;
    }

    /**
     * The scheme a trusted proxy says the client used (X-Forwarded-Proto, in lower case); undefined when the
     * socket's peer is not a trusted proxy or it says nothing. Of a list, the first: the proxy nearest the client
     * sets it, and a later one that appends its own hop's scheme does not change what the browser used. (A client
     * reaching a trusted proxy that appends rather than replaces could claim https here; that only marks its own
     * cookies Secure and its own links https.)
     */
    forwardedProto(req: ProxiedRequest): string | undefined {
        if (!this.trusts(req.socket?.remoteAddress)) return undefined;
        const first = headerList(req.headers['x-forwarded-proto'])[0]?.trim().toLowerCase();
        return first || undefined;
    }

    toString(): string {
        return this.entries.join(',');
    }
}
