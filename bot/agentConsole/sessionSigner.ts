import { z } from 'zod';
import { mac, readSignedValue, sameText, signValue } from '../signedValue';

/** Who a valid session cookie belongs to, until when (milliseconds since the epoch), and what it is bound to. */
export interface Session {
    readonly username: string;
    readonly expires: number;
    /**
     * The agent's session generation when it was issued (AgentSessionStore): signing out moves the generation on,
     * ending this session in every browser and on every instance.
     */
    readonly generation: number;
    /**
     * A keyed fingerprint of the account's password hash when it was issued (`passwordKey`): a new password
     * (`npm run agent:add` hashes afresh, with a new salt) ends the session without anything being stored.
     */
    readonly passwordKey: string;
}

const sessionSchema = z.object({
    username: z.string().min(1).max(200),
    expires: z.number().int(),
    generation: z.number().int().min(0),
    passwordKey: z.string().min(1).max(64),
});

/** Signs and checks agent session cookies and the CSRF tokens bound to them, with HMAC-SHA256. */
export class SessionSigner {
    constructor(private readonly secret: string) {}

    /** The cookie value: base64url(JSON{username, expires, generation, passwordKey}) + '.' + its signature. */
    sign(session: Session): string {
        return signValue(this.secret, {
            username: session.username,
            expires: session.expires,
            generation: session.generation,
            passwordKey: session.passwordKey,
        });
    }

    /** The session in a cookie value; undefined when it is malformed, tampered with or expired at `now`. */
    verify(value: string | undefined, now: Date): Session | undefined {
        if (value && value.length > 2048) return undefined;
        const session = readSignedValue(this.secret, value, sessionSchema);
        return session && session.expires > now.getTime() ? session : undefined;
    }

    /**
     * The fingerprint of a password hash that sessions are bound to: 96 bits of an HMAC under the secret, so the
     * cookie (readable by whoever holds it) says nothing about the hash.
     */
    passwordKey(passwordHash: string): string {
        return mac(this.secret, `session-password:${passwordHash}`).slice(0, 16);
    }

    /** True when `session` was issued under the password hash the account has now. */
    matchesPassword(session: Session, passwordHash: string): boolean {
        return sameText(session.passwordKey, this.passwordKey(passwordHash));
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
