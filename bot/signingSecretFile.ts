import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config';

/** The file in DATA_DIR that keeps the signing secret made when SESSION_SECRET is not set. */
export const signingSecretFileName = 'session-secret';

/** The signing secret kept in a file, and what loading it did. */
export interface KeptSecret {
    readonly secret: string;
    /** It was made now (the first start on this data folder). */
    readonly created: boolean;
    /** The file could be read by others than its owner, and was made private again. */
    readonly madePrivate: boolean;
}

const shortest = 32;
const privateMode = 0o600;
const checksModes = process.platform !== 'win32';

/**
 * The signing secret kept in `file`, made on first use: 32 random bytes, written to a private temporary file
 * (mode 0600), flushed, then linked into place, which fails if the file exists, so the file is never seen half
 * written and one made meanwhile by another process is kept (and read). Later starts read it, so Direct Line
 * tokens and agents' sessions stay valid across a restart. For one instance only: several instances need the
 * same SESSION_SECRET. Throws `ConfigError` when the file holds something too short to be a secret.
 */
export function loadSigningSecret(file: string): KeptSecret {
    const kept = readSecret(file);
    if (kept) return kept;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = fs.openSync(temporary, 'wx', privateMode);
    try {
        fs.writeSync(fd, `${secret}\n`);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    try {
        fs.linkSync(temporary, file);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') {
            const made = readSecret(file);
            if (made) return made;
            throw error;
        }
        // A file system without hard links: renaming is still atomic (only a race with another start could
        // replace the file, and one instance is all this serves).
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
        fs.renameSync(temporary, file);
    } finally {
        fs.rmSync(temporary, { force: true });
    }
    syncFolder(path.dirname(file));
    return { secret, created: true, madePrivate: false };
}

function readSecret(file: string): KeptSecret | undefined {
    let text: string;
    let mode: number;
    try {
        text = fs.readFileSync(file, 'utf8');
        mode = fs.statSync(file).mode;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
    }
    const secret = text.trim();
    if (secret.length < shortest) {
        throw new ConfigError(
            `Invalid configuration:\n  ${file}: expected the signing secret this service made ` +
                `(${shortest}+ characters); delete the file to have a new one made (everyone is signed out, open ` +
                'chats start afresh), or set SESSION_SECRET',
        );
    }
    const exposed = checksModes && (mode & 0o077) !== 0;
    if (exposed) fs.chmodSync(file, privateMode);
    return { secret, created: false, madePrivate: exposed };
}

/** Makes the new file's name last through a crash (not possible, nor needed, everywhere). */
function syncFolder(folder: string): void {
    let fd: number | undefined;
    try {
        fd = fs.openSync(folder, 'r');
        fs.fsyncSync(fd);
    } catch {
        // Windows cannot open a folder; the file itself is flushed.
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
}
