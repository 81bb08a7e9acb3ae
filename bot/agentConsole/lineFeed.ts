import type { TranscriptEntry } from '../handoff/case';

/**
 * Feeds one open page the lines of a case's transcript in order, each exactly once. Events only say that a line
 * was added at a position; whenever the next position is not the one expected (a line published out of order,
 * or one from before the page connected), the feed reads the transcript and sends everything after the last line
 * sent. Reads never overlap, and a line said during a read is picked up by another read straight after.
 */
export class LineFeed {
    private reading = false;
    private readAgain = false;

    constructor(
        /** How many lines the page already has. */
        private sent: number,
        private readonly read: () => Promise<readonly TranscriptEntry[]>,
        private readonly send: (entry: TranscriptEntry, position: number) => void,
        private readonly failed: (error: unknown) => void,
    ) {}

    /** `entry` was added at `position` (1 = the first). */
    said(entry: TranscriptEntry, position: number): void {
        if (position <= this.sent) return;
        if (!this.reading && position === this.sent + 1) {
            this.sent = position;
            this.send(entry, position);
            return;
        }
        void this.catchUp();
    }

    /** Sends every line after the last one sent. */
    async catchUp(): Promise<void> {
        if (this.reading) {
            this.readAgain = true;
            return;
        }
        this.reading = true;
        try {
            do {
                this.readAgain = false;
                const transcript = await this.read();
                for (let position = this.sent + 1; position <= transcript.length; position++) {
                    this.send(transcript[position - 1] as TranscriptEntry, position);
                }
                this.sent = Math.max(this.sent, transcript.length);
            } while (this.readAgain);
        } catch (error) {
            this.failed(error);
        } finally {
            this.reading = false;
        }
    }
}
