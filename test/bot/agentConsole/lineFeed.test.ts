import { expect } from 'chai';
import type { TranscriptEntry } from '../../../bot/handoff/case';
import { LineFeed } from '../../../bot/agentConsole/lineFeed';

const line = (text: string): TranscriptEntry => ({ at: '2026-11-23T10:00:00.000Z', from: 'resident', text });

/** A feed over a transcript the test grows, recording what it sent and how often it read. */
function feed(after: number, transcript: TranscriptEntry[]) {
    const sent: [string, number][] = [];
    let reads = 0;
    let onRead: (() => void) | undefined;
    const lines = new LineFeed(
        after,
        async () => {
            reads += 1;
            const snapshot = [...transcript];
            onRead?.();
            onRead = undefined;
            return snapshot;
        },
        (entry, position) => sent.push([entry.text, position]),
        (error) => {
            throw error;
        },
    );
    return { lines, sent, reads: () => reads, whileReading: (act: () => void) => (onRead = act) };
}

describe('LineFeed (the lines of one open case page)', () => {
    it('catches up from where the page is, then passes lines said in order without reading again', async () => {
        const transcript = [line('a'), line('b'), line('c')];
        const { lines, sent, reads } = feed(1, transcript);
        await lines.catchUp();
        transcript.push(line('d'));
        lines.said(line('d'), 4);
        expect(sent).to.deep.equal([
            ['b', 2],
            ['c', 3],
            ['d', 4],
        ]);
        expect(reads()).to.equal(1);
    });

    it('fills a gap from the store when a line arrives out of order, and ignores the late one', async () => {
        const transcript = [line('a')];
        const { lines, sent } = feed(1, transcript);
        transcript.push(line('b'), line('c'));
        lines.said(line('c'), 3);
        await lines.catchUp();
        lines.said(line('b'), 2);
        expect(sent).to.deep.equal([
            ['b', 2],
            ['c', 3],
        ]);
    });

    it('reads again when a line is said while it reads', async () => {
        const transcript = [line('a')];
        const { lines, sent, whileReading } = feed(0, transcript);
        whileReading(() => {
            transcript.push(line('b'));
            lines.said(line('b'), 2);
        });
        await lines.catchUp();
        expect(sent).to.deep.equal([
            ['a', 1],
            ['b', 2],
        ]);
    });
});
