import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhookBody, type WebhookPayload } from '../../bot/handoff/webhookTransport';

/** One request the receiver saw. */
export interface ReceivedRequest {
    readonly idempotencyKey: string | undefined;
    readonly contentType: string | undefined;
    readonly signatureValid: boolean;
    readonly status: number | 'dropped';
}

/** How the receiver misbehaves. */
export interface ReceiverOptions {
    /** Answer 500 to this many correctly signed requests first. */
    readonly failFirst?: number;
    /** Store the first correctly signed case, then drop the connection without answering (a lost response). */
    readonly dropFirstAnswer?: boolean;
    /** Never answer (a hung server). */
    readonly hang?: boolean;
    /** Never answer the first request, and count it in `hung` (a sender that dies while waiting). */
    readonly hangFirst?: boolean;
}

/**
 * A council system's webhook endpoint on a free local port, as a receiver should be written: it checks the HMAC
 * of the raw body in constant time and keeps one case per Idempotency-Key, answering 200 to a repeat.
 */
export async function startWebhookReceiver(secret: string, options: ReceiverOptions = {}) {
    const requests: ReceivedRequest[] = [];
    const accepted = new Map<string, WebhookPayload>();
    let failures = options.failFirst ?? 0;
    let drop = options.dropFirstAnswer ?? false;
    let hangNext = options.hangFirst ?? false;
    const hung: string[] = [];
    // writeHead is never chained: restify, loaded by other tests, replaces it with one that returns nothing.
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            if (options.hang) return;
            if (hangNext) {
                hangNext = false;
                hung.push(String(req.headers['idempotency-key']));
                return;
            }
            const raw = Buffer.concat(chunks);
            const expected = Buffer.from(signWebhookBody(raw, secret));
            const given = Buffer.from(String(req.headers['x-signature-256'] ?? ''));
            const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
            const key = req.headers['idempotency-key'] as string | undefined;
            const record = (status: ReceivedRequest['status']) =>
                requests.push({
                    idempotencyKey: key,
                    contentType: req.headers['content-type'],
                    signatureValid,
                    status,
                });
            if (!signatureValid || !key) {
                record(401);
                res.writeHead(401);
                res.end();
                return;
            }
            if (failures > 0) {
                failures--;
                record(500);
                res.writeHead(500);
                res.end('{"error":"try later"}');
                return;
            }
            if (!accepted.has(key)) accepted.set(key, JSON.parse(raw.toString('utf8')) as WebhookPayload);
            if (drop) {
                drop = false;
                record('dropped');
                req.socket.destroy();
                return;
            }
            record(200);
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"ok":true}');
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}/cases`,
        requests,
        accepted,
        /** The idempotency keys of requests left unanswered (`hangFirst`). */
        hung,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
