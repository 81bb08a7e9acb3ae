import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { readSignedValue, signValue } from '../../signedValue';

/** What a Direct Line token grants: one conversation, as one user, until it expires. */
export interface DirectLineGrant {
    readonly conversationId: string;
    readonly userId: string;
    /** The partner site the conversation started on, when embedded (recorded on every activity). */
    readonly site?: string;
}

const grantSchema = z.object({
    c: z.string().min(1).max(100),
    u: z.string().min(1).max(100),
    s: z.string().max(100).optional(),
    e: z.number().int(),
});

/** A new random id, URL-safe, with a prefix saying what it is. */
export function newId(prefix: string): string {
    return `${prefix}${randomBytes(16).toString('base64url')}`;
}

/**
 * Signs and checks the built-in Direct Line's tokens (HMAC-SHA256). A token is bound to one conversation and one
 * user and lives `lifetimeSeconds`; refreshing gives a new one for the same conversation.
 */
export class DirectLineTokens {
    constructor(
        private readonly secret: string,
        readonly lifetimeSeconds: number,
        private readonly now: () => Date = () => new Date(),
    ) {}

    /** A token for a new conversation. */
    issue(options: { site?: string } = {}): { token: string; grant: DirectLineGrant } {
        const grant: DirectLineGrant = {
            conversationId: newId('dl'),
            userId: newId('dl_user_'),
            ...(options.site && { site: options.site }),
        };
        return { token: this.sign(grant), grant };
    }

    /** A fresh token with the same grant. */
    sign(grant: DirectLineGrant): string {
        const expires = Math.floor(this.now().getTime() / 1000) + this.lifetimeSeconds;
        return signValue(this.secret, {
            c: grant.conversationId,
            u: grant.userId,
            ...(grant.site && { s: grant.site }),
            e: expires,
        });
    }

    /** The grant of a valid, unexpired token; undefined otherwise. */
    verify(token: string | undefined): DirectLineGrant | undefined {
        const value = readSignedValue(this.secret, token, grantSchema);
        if (!value || value.e * 1000 <= this.now().getTime()) return undefined;
        return { conversationId: value.c, userId: value.u, ...(value.s && { site: value.s }) };
    }
}
