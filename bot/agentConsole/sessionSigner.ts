import { z } from 'zod';
import { mac, readSignedValue, sameText, signValue } from '../signedValue';

/** Who a valid session cookie belongs to, and until when (milliseconds since the epoch). */
export interface Session {
    readonly username: string;
    readonly expires: number;
}

const sessionSchema = z.object({ username: z.string().min(1).max(200), expires: z.number().int() });

/** Signs and checks agent session cookies and the CSRF tokens bound to them, with HMAC-SHA256. */
export class SessionSigner {
    constructor(private readonly secret: string) {}

    /** The cookie value: base64url(JSON{username, expires}) + '.' + its signature. */
    sign(session: Session): string {
        return signValue(this.secret, { username: session.username, expires: session.expires });
    }

    /** The session in a cookie value; undefined when it is malformed, tampered with or expired at `now`. */
    verify(value: string | undefined, now: Date): Session | undefined {
        if (value && value.length > 2048) return undefined;
        const session = readSignedValue(this.secret, value, sessionSchema);
        return session && session.expires > now.getTime() ? session : undefined;
    }

    /** The CSRF token for forms shown under one session (or pre-session) id. */
    csrfToken(sessionId: string): string {
        return mac(this.secret, `${sessionId}csrf`);
    }

    /** True when `token` is the CSRF token of `sessionId`. */
    verifyCsrf(sessionId: string | undefined, token: unknown): boolean {
        return typeof sessionId === 'string' && typeof token === 'string' && sameText(token, this.csrfToken(sessionId));
    }
}
