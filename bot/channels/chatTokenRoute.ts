import { z } from 'zod';
import type { Logger } from '../logger';
import { newId, type DirectLineTokens } from './directLine/directLineTokens';
import { azureUserId } from '../turnOrigin';

/** Where the chat page's Direct Line runs: the built-in endpoint, or Azure Bot Service's. */
export type DirectLineMode =
    | { readonly kind: 'builtIn'; readonly tokens: DirectLineTokens }
    | {
          readonly kind: 'azure';
          /** The Direct Line channel's secret: exchanged here for a token, never sent to a browser. */
          readonly secret: string;
          /** e.g. https://directline.botframework.com/v3/directline (or a regional one). */
          readonly url: string;
      }
    /** No Direct Line the pages can use (an app id without DIRECT_LINE_SECRET): they say the chat is unavailable. */
    | { readonly kind: 'off'; readonly reason: string };

/** What a page gets to start Web Chat: a token for one conversation, and where Direct Line is. */
export interface ChatToken {
    readonly token: string;
    readonly conversationId: string;
    /** The Direct Line base URL for the client (`domain` in Web Chat's createDirectLine). */
    readonly domain: string;
    readonly expiresIn: number;
}

const azureTokenSchema = z.object({
    token: z.string().min(1),
    conversationId: z.string().min(1),
    expires_in: z.number().int().positive(),
});

/** Makes chat tokens: from the built-in Direct Line, or by exchanging the Azure secret on the server. */
export class ChatTokenIssuer {
    constructor(
        private readonly mode: DirectLineMode,
        private readonly log: Logger,
    ) {}

    /** What the page's Content-Security-Policy must let it connect to, besides its own origin. */
    connectSources(origin: string): string[] {
        if (this.mode.kind === 'off') return [];
        const base = this.mode.kind === 'builtIn' ? origin : new URL(this.mode.url).origin;
        return [...(this.mode.kind === 'azure' ? [base] : []), base.replace(/^http/, 'ws')];
    }

    /** A token for a new conversation; `origin` is this service's own origin (the built-in Direct Line's). */
    async issue(origin: string, site?: string): Promise<ChatToken> {
        if (this.mode.kind === 'off') throw new Error(this.mode.reason);
        if (this.mode.kind === 'builtIn') {
            const { token, grant } = this.mode.tokens.issue(site === undefined ? {} : { site });
            return {
                token,
                conversationId: grant.conversationId,
                domain: `${origin}/v3/directline`,
                expiresIn: this.mode.tokens.lifetimeSeconds,
            };
        }
        const response = await fetch(`${this.mode.url}/tokens/generate`, {
            method: 'POST',
            headers: { authorization: `Bearer ${this.mode.secret}`, 'content-type': 'application/json' },
            // A fresh pseudonymous user per conversation, prefixed "dl_" as Direct Line requires, with the partner
            // site in it: Azure writes the token's user id into every activity, so the site cannot be claimed.
            body: JSON.stringify({ user: { id: azureUserId(newId(''), site) } }),
            signal: AbortSignal.timeout(10_000),
        });
        const body = azureTokenSchema.safeParse(await response.json().catch(() => undefined));
        if (!response.ok || !body.success) {
            this.log.error('directline.token_exchange_failed', { status: response.status });
            throw new Error(`Direct Line answered ${response.status} to the token request`);
        }
        return {
            token: body.data.token,
            conversationId: body.data.conversationId,
            domain: this.mode.url,
            expiresIn: body.data.expires_in,
        };
    }
}
