import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP peer received it. */
export interface ReceivedMail {
    readonly from: string;
    readonly to: string[];
    /** The raw message, headers and body, with CRLF line ends. */
    readonly raw: string;
}

/**
 * A mail server on a free local port that wants `user`/`password`, refuses the first `failFirst` messages with a
 * temporary error (451) and keeps the rest.
 */
export async function startSmtpPeer(options: { failFirst?: number } = {}) {
    const messages: ReceivedMail[] = [];
    let failures = options.failFirst ?? 0;
    const server = new SMTPServer({
        // Plain SMTP on localhost: no certificate in a test, and credentials over a local socket only.
        disabledCommands: ['STARTTLS'],
        allowInsecureAuth: true,
        logger: false,
        onAuth(auth, _session, callback) {
            if (auth.username === 'user' && auth.password === 'password') callback(null, { user: auth.username });
            else callback(new Error('Invalid username or password'));
        },
        onData(stream, session, callback) {
            const chunks: Buffer[] = [];
            stream.on('data', (chunk: Buffer) => chunks.push(chunk));
            stream.on('end', () => {
                if (failures > 0) {
                    failures--;
                    callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
                    return;
                }
                messages.push({
                    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                    to: session.envelope.rcptTo.map((r) => r.address),
                    raw: Buffer.concat(chunks).toString('utf8'),
                });
                callback();
            });
        },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    return {
        url: `smtp://user:password@127.0.0.1:${port}`,
        messages,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

/** A received message's header value (unfolded). */
export function mailHeader(raw: string, name: string): string | undefined {
    const head = raw.split('\r\n\r\n')[0]?.replace(/\r\n[ \t]+/g, ' ') ?? '';
    const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(name.length + 1).trim();
}

/** A received message's text body, decoded from quoted-printable when it was sent so, with LF line ends. */
export function mailText(raw: string): string {
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    const quoted = /quoted-printable/i.test(mailHeader(raw, 'Content-Transfer-Encoding') ?? '');
    const text = quoted
        ? Buffer.from(
              body
                  .replace(/=\r\n/g, '')
                  .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
          ).toString('utf8')
        : body;
    return text.replace(/\r\n/g, '\n');
}
