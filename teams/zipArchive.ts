import zlib from 'node:zlib';

/** A file in a zip archive: its path inside the archive and its contents. */
export interface ZipEntry {
    readonly name: string;
    readonly data: Buffer;
}

/** Bytes that are not a zip archive this reader understands; the message says why. */
export class ZipError extends Error {
    readonly code = 'ZIP_INVALID';
    constructor(message: string) {
        super(message);
        this.name = 'ZipError';
    }
}

const localHeaderSignature = 0x04034b50;
const centralHeaderSignature = 0x02014b50;
const endSignature = 0x06054b50;
const stored = 0;
const deflated = 8;
// Every entry gets the same timestamp (1980-01-01 00:00, the earliest a zip can say), so building the same
// package twice gives the same bytes, and a changed file is the only reason a package differs.
const dosTime = 0;
const dosDate = (1 << 5) | 1;

/** Writes a zip archive (deflated entries, or stored when deflating would not make them smaller). */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const { name, data } of entries) {
        const nameBytes = Buffer.from(name, 'utf8');
        const deflatedData = zlib.deflateRawSync(data, { level: 9 });
        const method = deflatedData.length < data.length ? deflated : stored;
        const body = method === deflated ? deflatedData : data;
        const crc = zlib.crc32(data);
        // Bit 11: the name is UTF-8 (ASCII names read the same either way).
        const flags = /^[\x20-\x7e]*$/.test(name) ? 0 : 1 << 11;

        const local = Buffer.alloc(30);
        local.writeUInt32LE(localHeaderSignature, 0);
        local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
        local.writeUInt16LE(flags, 6);
        local.writeUInt16LE(method, 8);
        local.writeUInt16LE(dosTime, 10);
        local.writeUInt16LE(dosDate, 12);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(body.length, 18);
        local.writeUInt32LE(data.length, 22);
        local.writeUInt16LE(nameBytes.length, 26);
        local.writeUInt16LE(0, 28); // no extra field
        locals.push(local, nameBytes, body);

        const central = Buffer.alloc(46);
        central.writeUInt32LE(centralHeaderSignature, 0);
        central.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(flags, 8);
        central.writeUInt16LE(method, 10);
        central.writeUInt16LE(dosTime, 12);
        central.writeUInt16LE(dosDate, 14);
        central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(body.length, 20);
        central.writeUInt32LE(data.length, 24);
        central.writeUInt16LE(nameBytes.length, 28);
        central.writeUInt32LE(offset, 42); // extra, comment, disk, attributes (bytes 30–41) stay zero
        centrals.push(central, nameBytes);

        offset += local.length + nameBytes.length + body.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(endSignature, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, directory, end]);
}

/**
 * Reads every entry of a zip archive through its central directory, as Teams does, inflating each and checking
 * its CRC. Directories come back as entries whose name ends in "/". Zip64, encryption and methods other than
 * stored and deflate are refused.
 */
export function readZip(bytes: Uint8Array): ZipEntry[] {
    const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const endAt = findEnd(zip);
    const count = zip.readUInt16LE(endAt + 10);
    const directoryAt = zip.readUInt32LE(endAt + 16);
    if (count === 0xffff || directoryAt === 0xffffffff) throw new ZipError('zip64 archives are not supported');
    const entries: ZipEntry[] = [];
    let at = directoryAt;
    for (let i = 0; i < count; i++) {
        if (at + 46 > zip.length || zip.readUInt32LE(at) !== centralHeaderSignature) {
            throw new ZipError(`central directory entry ${i + 1} of ${count} is missing or damaged`);
        }
        const flags = zip.readUInt16LE(at + 8);
        const method = zip.readUInt16LE(at + 10);
        const crc = zip.readUInt32LE(at + 16);
        const compressedSize = zip.readUInt32LE(at + 20);
        const size = zip.readUInt32LE(at + 24);
        const nameLength = zip.readUInt16LE(at + 28);
        const extraLength = zip.readUInt16LE(at + 30);
        const commentLength = zip.readUInt16LE(at + 32);
        const localAt = zip.readUInt32LE(at + 42);
        const name = zip.toString(flags & (1 << 11) ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
        at += 46 + nameLength + extraLength + commentLength;

        if (flags & 1) throw new ZipError(`${name}: encrypted entries are not supported`);
        if (localAt + 30 > zip.length || zip.readUInt32LE(localAt) !== localHeaderSignature) {
            throw new ZipError(`${name}: its local header is missing or damaged`);
        }
        const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
        if (dataAt + compressedSize > zip.length) throw new ZipError(`${name}: its data runs past the end`);
        const body = zip.subarray(dataAt, dataAt + compressedSize);
        let data: Buffer;
        if (method === stored) data = Buffer.from(body);
        else if (method === deflated) data = inflate(name, body);
        else throw new ZipError(`${name}: compression method ${method} is not supported (use deflate)`);
        if (data.length !== size || zlib.crc32(data) !== crc) throw new ZipError(`${name}: damaged (CRC mismatch)`);
        entries.push({ name, data });
    }
    return entries;
}

function inflate(name: string, body: Buffer): Buffer {
    try {
        return zlib.inflateRawSync(body);
    } catch (error) {
        throw new ZipError(`${name}: damaged (${error instanceof Error ? error.message : String(error)})`);
    }
}

/** The offset of the end-of-central-directory record, searched backwards past any archive comment. */
function findEnd(zip: Buffer): number {
    const earliest = Math.max(0, zip.length - 22 - 0xffff);
    for (let at = zip.length - 22; at >= earliest; at--) {
        if (zip.readUInt32LE(at) === endSignature) return at;
    }
    throw new ZipError('not a zip archive (no end of central directory record)');
}
