import type { Case, CaseOutcome, NewCase, TranscriptEntry } from '../../bot/handoff/case';
import { createCaseReference } from '../../bot/handoff/caseReference';
import type { CaseStore } from '../../bot/stores/caseStore';
import type { DeliveryTransport } from '../../bot/stores/outbox';

/** A case store in memory for dialog tests; `failing` makes every write throw, as a database outage would. */
export class MemoryCaseStore implements CaseStore {
    readonly cases = new Map<string, Case>();
    /** The deliveries each case was created with, by reference. */
    readonly deliveries = new Map<string, readonly DeliveryTransport[]>();
    failing = false;

    async create(newCase: NewCase, prefix: string, deliveries: readonly DeliveryTransport[] = []): Promise<Case> {
        if (this.failing) throw new Error('the database is unavailable');
        const reference = createCaseReference(prefix);
        const stored: Case = { ...newCase, reference, createdAt: new Date().toISOString(), status: 'queued' };
        this.cases.set(reference, stored);
        this.deliveries.set(reference, deliveries);
        return stored;
    }

    async get(reference: string): Promise<Case | undefined> {
        return this.cases.get(reference);
    }

    async queue(team?: string): Promise<Case[]> {
        return [...this.cases.values()].filter((c) => c.status === 'queued' && (!team || c.team === team));
    }

    async claim(reference: string, agentId: string): Promise<Case | undefined> {
        const found = this.cases.get(reference);
        if (found?.status !== 'queued') return undefined;
        const claimed: Case = { ...found, status: 'claimed', claimedBy: agentId, claimedAt: new Date().toISOString() };
        this.cases.set(reference, claimed);
        return claimed;
    }

    async closeCase(reference: string, agentId: string, outcome: CaseOutcome): Promise<Case | undefined> {
        const found = this.cases.get(reference);
        if (found?.status !== 'claimed' || found.claimedBy !== agentId) return undefined;
        const closed: Case = { ...found, status: 'closed', outcome, closedAt: new Date().toISOString() };
        this.cases.set(reference, closed);
        return closed;
    }

    async appendTranscript(reference: string, entry: TranscriptEntry): Promise<void> {
        const found = this.cases.get(reference);
        if (found) this.cases.set(reference, { ...found, transcript: [...found.transcript, entry] });
    }

    async purge(): Promise<number> {
        return 0;
    }

    async isReachable(): Promise<boolean> {
        return !this.failing;
    }

    async close(): Promise<void> {}
}
