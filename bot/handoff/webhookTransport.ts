import { createHmac } from 'node:crypto';
import type { Case } from './case';
import { DeliveryError, type CaseTransport } from './caseTransport';
import { formatCaseSummary } from './caseSummary';
import type { DeliveryTarget } from './deliveryTargets';

/** The JSON a team's webhook receives for a new case. */
export interface WebhookPayload {
    readonly reference: string;
    readonly createdAt: string;
    readonly team: string;
    readonly serviceId: string | null;
    readonly serviceTitle: string | null;
    readonly priority: Case['priority'];
    readonly residentWords: string;
    readonly assistantAnswer: string | null;
    readonly details: Case['details'];
    readonly flags: Case['flags'];
    readonly language: string;
    readonly channel: string;
    readonly transcript: Case['transcript'];
    /** The same plain-text summary the email carries. */
    readonly summary: string;
}

/** The payload for a case; absent optional fields are null, so receivers see every key. */
export function webhookPayload(c: Case): WebhookPayload {
    return {
        reference: c.reference,
        createdAt: c.createdAt,
        team: c.team,
        serviceId: c.serviceId ?? null,
        serviceTitle: c.serviceTitle ?? null,
        priority: c.priority,
        residentWords: c.residentWords,
        assistantAnswer: c.assistantAnswer ?? null,
        details: c.details,
        flags: c.flags,
        language: c.language,
        channel: c.channel,
        transcript: c.transcript,
        summary: formatCaseSummary(c),
    };
}

/** The `X-Signature-256` header value for a body: `sha256=` and the hex HMAC-SHA256 of the exact bytes sent. */
export function signWebhookBody(body: string | Buffer, secret: string): string {
    return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** How the webhook transport reaches the network; tests and proxies can replace `fetch`. */
export interface WebhookTransportOptions {
    readonly fetch?: typeof fetch;
    /** Give up on an attempt after this long (default 10 s). */
    readonly timeoutMs?: number;
}

/**
 * Posts a case as signed JSON to the team's webhook. The case reference is the `Idempotency-Key`, so a receiver
 * can recognise a retry of a delivery it already accepted (delivery is at least once). Only 2xx counts as delivered.
 */
export class WebhookTransport implements CaseTransport {
    private readonly fetch: typeof fetch;
    private readonly timeoutMs: number;

    constructor(options: WebhookTransportOptions = {}) {
        this.fetch = options.fetch ?? globalThis.fetch;
        this.timeoutMs = options.timeoutMs ?? 10_000;
    }

    get longestAttemptMs(): number {
        return this.timeoutMs;
    }

    async deliver(c: Case, target: DeliveryTarget): Promise<void> {
        if (!target.webhook) throw new DeliveryError(`team "${target.team}" has no webhook`, true);
        const body = JSON.stringify(webhookPayload(c));
        const response = await this.fetch(target.webhook.url, {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'X-Signature-256': signWebhookBody(body, target.webhook.secret),
                'Idempotency-Key': c.reference,
            },
            body,
            signal: AbortSignal.timeout(this.timeoutMs),
            // A redirect would send the resident's details somewhere council.yaml never named.
            redirect: 'manual',
        });
        // The answer's body is not needed (and may echo personal data): release the connection without reading it.
        await response.body?.cancel().catch(() => undefined);
        if (response.status < 200 || response.status > 299) {
            throw new DeliveryError(`webhook answered HTTP ${response.status}`);
        }
    }
}
