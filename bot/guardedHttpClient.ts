import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { OutboundRefusedError, type ServiceUrlPolicy } from './serviceUrlPolicy';

/** The connector client's options (botframework-connector's ConnectorClientOptions). */
type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>;

/** The parts of the SDK's request (`WebResourceLike`, @azure/core-http-compat) this client reads. */
interface OutgoingRequest {
    url: string;
    method: string;
    headers: { toJson(options?: { preserveCase?: boolean }): Record<string, string> };
    body?: unknown;
    abortSignal?: AbortSignal;
}

/** A channel did not answer within the time allowed. */
export class OutboundTimeoutError extends Error {
    readonly code = 'OUTBOUND_TIMEOUT';
    constructor(seconds: number) {
        super(`the channel did not answer within ${seconds} seconds`);
        this.name = 'OutboundTimeoutError';
    }
}

/**
 * The HTTP client under every Bot Framework connector call (replies in a turn, proactive messages): each request,
 * redirects included, goes only to a URL the policy permits, and is abandoned (its socket closed) when the channel
 * has not answered within `timeoutMs`. The SDK's own client has no time-out: a channel that accepted and never
 * answered held a turn, and its sockets, for as long as it liked.
 */
export function guardedHttpClient(
    policy: ServiceUrlPolicy,
    timeoutMs: number,
): NonNullable<ConnectorClientOptions['httpClient']> {
    const client = {
        async sendRequest(request: OutgoingRequest) {
            if (!policy.permits(request.url)) throw new OutboundRefusedError();
            const deadline = AbortSignal.timeout(timeoutMs);
            const signal = request.abortSignal ? AbortSignal.any([deadline, request.abortSignal]) : deadline;
            try {
                const response = await fetch(request.url, {
                    method: request.method,
                    headers: request.headers.toJson({ preserveCase: true }),
                    body: request.body as string | undefined,
                    // A redirect comes back to the SDK's pipeline, which sends it through here again (and the policy).
                    redirect: 'manual',
                    signal,
                });
                const bodyAsText = await response.text();
                const headers = Object.fromEntries(response.headers);
                return {
                    request,
                    status: response.status,
                    headers: { toJson: () => headers, get: (name: string) => headers[name.toLowerCase()] },
                    bodyAsText,
                };
            } catch (error) {
                if (deadline.aborted) throw new OutboundTimeoutError(timeoutMs / 1000);
                throw error;
            }
        },
    };
    return client as unknown as NonNullable<ConnectorClientOptions['httpClient']>;
}
