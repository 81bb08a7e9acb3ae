import { loadMessageMix } from './messageMix';
import { inParallel, postMessage, startConversation } from './directLineClient';
import { residentMb, startApp, type BenchServer } from './servers';
import type { BenchSettings } from './settings';

/** Section 4's figures, all measured (nothing extrapolated). */
export interface MemoryResult {
    readonly conversations: number;
    readonly baselineRssMb: number;
    readonly rssMb: number;
    /** The most the process held at any moment (VmHWM). */
    readonly peakRssMb: number;
    /** After a full garbage collection in the server. */
    readonly heapUsedMb: number;
    readonly perConversationKb: number;
    readonly failures: number;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function heapUsedMb(server: BenchServer): Promise<number> {
    server.child.send({ type: 'memory' });
    const { heapUsed } = await server.child.next<{ type: string; heapUsed: number }>('memory', 30_000);
    return heapUsed / 1024 / 1024;
}

/**
 * Section 4: the app's resident memory (VmRSS from /proc) idle, then holding live conversations, each started
 * through the built-in Direct Line and sent one message, so Direct Line and conversation state both hold it.
 */
export async function runMemory(settings: BenchSettings, progress: (line: string) => void): Promise<MemoryResult> {
    const { conversations: count, concurrency } = settings.memory;
    const mix = loadMessageMix();
    const server = await startApp(settings, 'app-memory');
    try {
        await settle(1000);
        await heapUsedMb(server);
        const baseline = residentMb(server.pid);
        progress(`memory: ${count} live conversations`);
        let failures = 0;
        await inParallel(count, concurrency, async (c) => {
            try {
                const conversation = await startConversation(server.url);
                await postMessage(server.url, conversation, mix.message(c, 1));
            } catch {
                failures++;
            }
        });
        await settle(1000);
        const heap = await heapUsedMb(server);
        const after = residentMb(server.pid);
        return {
            conversations: count,
            baselineRssMb: baseline.rssMb,
            rssMb: after.rssMb,
            peakRssMb: after.peakMb,
            heapUsedMb: heap,
            perConversationKb: ((after.rssMb - baseline.rssMb) * 1024) / count,
            failures,
        };
    } finally {
        await server.stop();
    }
}
