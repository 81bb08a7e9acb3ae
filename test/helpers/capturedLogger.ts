import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger, type Logger } from '../../bot/logger';

/** A logged event as JSON. */
export type LogEntry = Record<string, unknown> & { message: string; level: string };

/** The real logger (redaction included) writing into memory, for tests that read what was logged. */
export function capturedLogger(level = 'debug'): {
    log: Logger;
    lines: string[];
    events: (message: string) => LogEntry[];
} {
    const lines: string[] = [];
    const log = createLogger(level, [
        new winston.transports.Stream({
            stream: new Writable({
                write(chunk: Buffer, _encoding, done) {
                    lines.push(chunk.toString());
                    done();
                },
            }),
        }),
    ]);
    const events = (message: string) =>
        lines.map((line) => JSON.parse(line) as LogEntry).filter((entry) => entry.message === message);
    return { log, lines, events };
}
