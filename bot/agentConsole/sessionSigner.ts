import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Who a valid session cookie belongs to, and until when (milliseconds since the epoch). */
export interface Session {
    readonly username: string;
    readonly expires: number;
}

const sessionSchema = z.object({ username: z.string().min(1).max(200), expires: z.number().int() });

function sameText(a: string, b: string): boolean {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
}

/** Signs and checks agent session cookies and the CSRF tokens bound to them, with HMAC-SHA256. */
export class SessionSigner {
    constructor(private readonly secret: string) {}

    /** The cookie value: base64url(JSON{username, expires}) + '.' + its signature. */
    sign(session: Session): string {
        const payload = Buffer.from(JSON.stringify({ username: session.username, expires: session.expires }));
        const encoded = payload.toString('base64url');
        return `${encoded}.${this.mac(encoded)}`;
    }

    /** The session in a cookie value; undefined when it is malformed, tampered with or expired at `now`. */
    verify(value: string | undefined, now: Date): Session | undefined {
        if (!value || value.length > 2048) return undefined;
        const [encoded, signature, extra] = value.split('.');
        if (!encoded || !signature || extra !== undefined || !sameText(signature, this.mac(encoded))) return undefined;
        let json: unknown;
        try {
            json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
        } catch {
            return undefined;
        }
        const parsed = sessionSchema.safeParse(json);
        if (!parsed.success || parsed.data.expires <= now.getTime()) return undefined;
        return parsed.data;
    }

    /** The CSRF token for forms shown under one session (or pre-session) id. */
    csrfToken(sessionId: string): string {
        return this.mac(`${sessionId}csrf`);
    }

    /** True when `token` is the CSRF token of `sessionId`. */
    verifyCsrf(sessionId: string | undefined, token: unknown): boolean {
        return typeof sessionId === 'string' && typeof token === 'string' && sameText(token, this.csrfToken(sessionId));
    }

    private mac(text: string): string {
        return createHmac('sha256', this.secret).update(text).digest('base64url');
    }
}
