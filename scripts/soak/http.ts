import { isLoopbackHost } from './options';
import { SoakFailure } from './tally';

/** How long the soak waits for any answer: longer is a failure. */
export const replyTimeoutMs = 10_000;

/** Throws unless `url` is on this machine's loopback: the soak sends nothing anywhere else. */
export function assertLoopback(url: string): void {
    const { hostname } = new URL(url);
    if (!isLoopbackHost(hostname)) throw new SoakFailure('protocol', `refused to contact ${hostname}: not loopback`);
}

/**
 * POSTs JSON (with a bearer token when given) and returns the parsed answer; a non-2xx status, no answer within
 * the time-out, a broken connection or a body that is not JSON are each a `SoakFailure` of their own kind.
 */
export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
    assertLoopback(url);
    const where = new URL(url).pathname.replace(/\/conversations\/[^/]+/, '/conversations/…');
    let response: Response;
    let text: string;
    try {
        response = await fetch(url, {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                ...(token && { authorization: `Bearer ${token}` }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(replyTimeoutMs),
        });
        text = await response.text();
    } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (name === 'TimeoutError' || name === 'AbortError') {
            throw new SoakFailure('timeout', `POST ${where}: no answer within ${replyTimeoutMs} ms`);
        }
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new SoakFailure('socket', `POST ${where}: ${error instanceof Error ? error.message : error}${cause}`);
    }
    if (!response.ok) throw new SoakFailure('http', `POST ${where}: ${response.status} ${text.slice(0, 200)}`);
    try {
        return (text === '' ? {} : JSON.parse(text)) as T;
    } catch {
        throw new SoakFailure('protocol', `POST ${where}: the answer is not JSON`);
    }
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
