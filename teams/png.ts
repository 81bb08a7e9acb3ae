import zlib from 'node:zlib';

/** An image as 8-bit RGBA, row by row from the top left: `pixels.length === width * height * 4`. */
export interface RgbaImage {
    readonly width: number;
    readonly height: number;
    readonly pixels: Uint8Array;
}

/** A file could not be read as a PNG; the message says why. */
export class PngError extends Error {
    readonly code = 'PNG_INVALID';
    constructor(message: string) {
        super(message);
        this.name = 'PngError';
    }
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Channels per pixel for the 8-bit colour types this reader handles: grey, RGB, grey + alpha, RGBA.
const channelsByColourType: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function chunk(type: string, data: Buffer): Buffer {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typeAndData));
    return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes an RGBA image as a PNG (8-bit RGBA, no filtering: the icons are tiny, so size does not matter). */
export function encodePng(image: RgbaImage): Buffer {
    const { width, height, pixels } = image;
    if (pixels.length !== width * height * 4) {
        throw new RangeError(`expected ${width * height * 4} bytes of RGBA pixels, got ${pixels.length}`);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, adaptive filtering, not interlaced
    const rowLength = width * 4;
    const raw = Buffer.alloc((rowLength + 1) * height);
    for (let y = 0; y < height; y++) {
        raw[y * (rowLength + 1)] = 0; // filter type None
        raw.set(pixels.subarray(y * rowLength, (y + 1) * rowLength), y * (rowLength + 1) + 1);
    }
    return Buffer.concat([
        signature,
        chunk('IHDR', header),
        chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
        chunk('IEND', Buffer.alloc(0)),
    ]);
}

/** The width and height in a PNG's header, without decoding its pixels. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
    const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') {
        throw new PngError('not a PNG file');
    }
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Decodes an 8-bit, non-interlaced greyscale, RGB or RGBA PNG (with or without alpha) into RGBA, checking every
 * chunk's CRC. Other kinds (palette, 16-bit, interlaced) are refused with a message naming the kind.
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
    const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { width, height } = pngSize(png);
    let offset = 8;
    let header: Buffer | undefined;
    const data: Buffer[] = [];
    let ended = false;
    while (!ended) {
        if (offset + 12 > png.length) throw new PngError('the file ends before its IEND chunk');
        const length = png.readUInt32BE(offset);
        const type = png.toString('latin1', offset + 4, offset + 8);
        const end = offset + 8 + length;
        if (end + 4 > png.length) throw new PngError(`the ${type} chunk runs past the end of the file`);
        if (zlib.crc32(png.subarray(offset + 4, end)) !== png.readUInt32BE(end)) {
            throw new PngError(`the ${type} chunk is damaged (CRC mismatch)`);
        }
        const body = png.subarray(offset + 8, end);
        if (type === 'IHDR') header = body;
        else if (type === 'IDAT') data.push(body);
        else if (type === 'IEND') ended = true;
        offset = end + 4;
    }
    if (!header || header.length !== 13) throw new PngError('the IHDR chunk is missing or malformed');
    const [bitDepth, colourType, , , interlace] = header.subarray(8);
    const channels = colourType === undefined ? undefined : channelsByColourType[colourType];
    if (bitDepth !== 8 || channels === undefined || interlace !== 0) {
        throw new PngError(
            `unsupported PNG kind (bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}): ` +
                'save it as a non-interlaced 8-bit RGBA PNG',
        );
    }
    const raw = zlib.inflateSync(Buffer.concat(data));
    const stride = width * channels;
    if (raw.length !== (stride + 1) * height) {
        throw new PngError(`expected ${(stride + 1) * height} bytes of image data, found ${raw.length}`);
    }
    const samples = unfilter(raw, width, height, channels);
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
        const s = i * channels;
        const grey = channels <= 2;
        pixels[i * 4] = samples[s]!;
        pixels[i * 4 + 1] = grey ? samples[s]! : samples[s + 1]!;
        pixels[i * 4 + 2] = grey ? samples[s]! : samples[s + 2]!;
        pixels[i * 4 + 3] = channels === 2 ? samples[s + 1]! : channels === 4 ? samples[s + 3]! : 255;
    }
    return { width, height, pixels };
}

/** Reverses PNG's per-row filters (None, Sub, Up, Average, Paeth) for whole-byte pixels of `bpp` bytes. */
function unfilter(raw: Buffer, width: number, height: number, bpp: number): Uint8Array {
    const stride = width * bpp;
    const out = new Uint8Array(stride * height);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        const row = y * stride;
        for (let x = 0; x < stride; x++) {
            const value = raw[y * (stride + 1) + 1 + x]!;
            const left = x >= bpp ? out[row + x - bpp]! : 0;
            const up = y > 0 ? out[row - stride + x]! : 0;
            const upLeft = x >= bpp && y > 0 ? out[row - stride + x - bpp]! : 0;
            let predicted: number;
            switch (filter) {
                case 0:
                    predicted = 0;
                    break;
                case 1:
                    predicted = left;
                    break;
                case 2:
                    predicted = up;
                    break;
                case 3:
                    predicted = (left + up) >> 1;
                    break;
                case 4:
                    predicted = paeth(left, up, upLeft);
                    break;
                default:
                    throw new PngError(`row ${y} has an unknown filter type ${filter}`);
            }
            out[row + x] = (value + predicted) & 0xff;
        }
    }
    return out;
}

function paeth(a: number, b: number, c: number): number {
    const p = a + b - c;
    const pa = Math.abs(p - a);
    const pb = Math.abs(p - b);
    const pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
