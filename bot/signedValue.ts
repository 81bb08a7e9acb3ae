import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

/** Compares two strings in constant time (for signatures). */
export function sameText(a: string, b: string): boolean {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
}

/** HMAC-SHA256 of `text` with `secret`, base64url. */
export function mac(secret: string, text: string): string {
    return createHmac('sha256', secret).update(text).digest('base64url');
}

/** base64url(JSON of `value`) + '.' + its signature: readable by anyone, changeable by nobody without the secret. */
export function signValue(secret: string, value: unknown): string {
    const encoded = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${encoded}.${mac(secret, encoded)}`;
}

/** The value signed into `signed`, when the signature is right and it has the expected shape; else undefined. */
export function readSignedValue<T>(secret: string, signed: string | undefined, schema: z.ZodType<T>): T | undefined {
    if (!signed || signed.length > 4096) return undefined;
    const [encoded, signature, extra] = signed.split('.');
    if (!encoded || !signature || extra !== undefined || !sameText(signature, mac(secret, encoded))) return undefined;
    let json: unknown;
    try {
        json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
        return undefined;
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
}
