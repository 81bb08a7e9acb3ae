import { expect } from 'chai';
import type { InsightEvent, InsightStore } from '../../../bot/insight/insightEvent';

/** An event as the recorder makes one. */
export function sampleEvent(overrides: Partial<InsightEvent> = {}): InsightEvent {
    return {
        at: '2026-11-23T10:00:00.000Z',
        conversation: 'c-1',
        kind: 'turn',
        channel: 'directline',
        language: 'en',
        outcome: 'answer',
        serviceId: 'missed-bin',
        score: 0.82,
        customerType: 'resident',
        ...overrides,
    };
}

/** The behaviour every InsightStore must have; `open` gives a fresh, empty store and how to throw it away. */
export function insightStoreContract(
    name: string,
    open: () => Promise<{ store: InsightStore; cleanup: () => Promise<void> }>,
): void {
    describe(`${name} (insight store contract)`, () => {
        let store: InsightStore;
        let cleanup: () => Promise<void>;
        beforeEach(async () => ({ store, cleanup } = await open()));
        afterEach(async () => cleanup());

        it('gives back the events of a period, oldest first, from inclusive to exclusive', async () => {
            const events = [
                sampleEvent({ at: '2026-11-23T10:00:02.000Z', conversation: 'c-2' }),
                sampleEvent({ at: '2026-11-23T10:00:00.000Z' }),
                sampleEvent({
                    at: '2026-11-23T10:00:01.000Z',
                    kind: 'feedback',
                    helpful: false,
                    text: 'it [postcode]',
                }),
                sampleEvent({ at: '2026-11-23T10:00:03.000Z' }),
            ];
            for (const event of events) await store.record(event);
            const found = await store.between(
                new Date('2026-11-23T10:00:00.000Z'),
                new Date('2026-11-23T10:00:03.000Z'),
            );
            expect(found).to.deep.equal([events[1], events[2], events[0]]);
            expect(await store.between(new Date('2026-11-24'), new Date('2026-11-25'))).to.deep.equal([]);
        });

        it('keeps text as given, dropping only what PostgreSQL cannot store', async () => {
            await store.record(sampleEvent({ outcome: 'not-known', text: 'emoji 🏠 and NUL \u0000 and <b>' }));
            const [found] = await store.between(new Date('2026-11-23'), new Date('2026-11-24'));
            expect(found?.text).to.equal('emoji 🏠 and NUL  and <b>');
        });

        it('purges the events older than the retention period, and says how many', async () => {
            await store.record(sampleEvent({ at: '2026-01-01T00:00:00.000Z' }));
            await store.record(sampleEvent({ at: '2026-06-01T00:00:00.000Z' }));
            await store.record(sampleEvent({ at: '2026-11-23T10:00:00.000Z' }));
            expect(await store.purge(new Date('2026-07-01T00:00:00.000Z'))).to.equal(2);
            expect(await store.purge(new Date('2026-07-01T00:00:00.000Z'))).to.equal(0);
            const left = await store.between(new Date('2025-01-01'), new Date('2027-01-01'));
            expect(left.map((e) => e.at)).to.deep.equal(['2026-11-23T10:00:00.000Z']);
        });
    });
}
