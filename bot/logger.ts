import winston from 'winston';
import { redactPersonalData } from '../knowledge/personalData';

/** The logger every part of the service writes to. */
export type Logger = winston.Logger;

function redactDeep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return redactPersonalData(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return { name: value.name, message: redactPersonalData(value.message) };
    if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, depth + 1)]));
}

/** A winston format that removes emails, phone numbers, postcodes, NI and card numbers from every field. */
export const redactionFormat = winston.format((info) => {
    for (const key of Object.keys(info)) {
        info[key] = redactDeep(info[key]);
    }
    return info;
});

/** Creates the JSON logger. Resident text may be logged only at debug level, and is redacted like everything else. */
export function createLogger(level: string, transports?: winston.transport[]): Logger {
    return winston.createLogger({
        level,
        format: winston.format.combine(redactionFormat(), winston.format.timestamp(), winston.format.json()),
        transports: transports ?? [new winston.transports.Console()],
    });
}
