import { expect } from 'chai';
import type { Case, NewCase } from '../../../bot/handoff/case';
import { isCaseReference } from '../../../bot/handoff/caseReference';
import type { CaseStore } from '../../../bot/stores/caseStore';

/** A case store on a fresh, empty database, and how to open that database again and throw it away. */
export interface CaseStoreFixture {
    readonly store: CaseStore;
    /** Opens the same database again, as the service does after a restart. */
    readonly reopen: () => Promise<CaseStore>;
    /** Closes every store the fixture opened and removes the database. */
    readonly cleanup: () => Promise<void>;
}

/** A new case as the case dialog makes one, with every personal field filled in. */
export function sampleCase(overrides: Partial<NewCase> = {}): NewCase {
    return {
        channel: 'webchat',
        site: 'parish-council',
        conversation: { conversation: { id: 'conversation-1' }, user: { id: 'user-1' }, serviceUrl: 'https://x.test' },
        serviceId: 'missed-bin',
        serviceTitle: 'Missed bin collection',
        team: 'waste',
        priority: 'normal',
        residentWords: 'My bin was not emptied on Tuesday',
        assistantAnswer: 'Sorry about that. I can pass this to the waste team.',
        details: {
            name: 'Sam Resident',
            contactMethod: 'phone',
            phone: '07700 900123',
            email: 'sam@example.com',
            address: '1 High Street, Atherby',
            consent: true,
        },
        flags: { vulnerable: false },
        language: 'en-GB',
        transcript: [{ at: '2025-01-01T09:00:00.000Z', from: 'resident', text: 'My bin was not emptied' }],
        ...overrides,
    };
}

/** A case whose resident chose to carry on in the chat, with a phone number as the fallback. */
export function chatCase(): NewCase {
    const base = sampleCase();
    return { ...base, details: { ...base.details, contactMethod: 'chat' } };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const references = (cases: Case[]) => cases.map((c) => c.reference);

/** The behaviour every CaseStore implementation must have; `create` gives a fresh, empty store per test. */
export function caseStoreContract(name: string, create: () => Promise<CaseStoreFixture>): void {
    describe(`${name} (case store contract)`, () => {
        let fixture: CaseStoreFixture;
        let store: CaseStore;
        beforeEach(async () => {
            fixture = await create();
            store = fixture.store;
        });
        afterEach(async () => fixture.cleanup());

        it('creates a queued case with a fresh reference and a creation time', async () => {
            const before = Date.now();
            const created = await store.create(sampleCase(), 'ATB');
            expect(created.reference).to.match(/^ATB-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}$/);
            expect(isCaseReference(created.reference, 'ATB')).to.equal(true);
            expect(created.status).to.equal('queued');
            expect(new Date(created.createdAt).toISOString()).to.equal(created.createdAt);
            expect(Date.parse(created.createdAt)).to.be.within(before, Date.now());
            expect(created).to.deep.include(sampleCase());
        });

        it('gives back exactly the case it created, and nothing for an unknown reference', async () => {
            const created = await store.create(sampleCase(), 'ATB');
            expect(await store.get(created.reference)).to.deep.equal(created);
            const minimal = await store.create(
                sampleCase({ site: undefined, serviceId: undefined, serviceTitle: undefined, transcript: [] }),
                'ATB',
            );
            expect(minimal).to.not.have.any.keys('site', 'serviceId', 'serviceTitle', 'claimedBy', 'outcome');
            expect(await store.get(minimal.reference)).to.deep.equal(minimal);
            expect(await store.get('ATB-22222')).to.equal(undefined);
        });

        it('keeps unusual text, dropping only what PostgreSQL cannot store (NUL, unpaired surrogates)', async () => {
            const words = 'Ça va? "quoted" \\ back\\slash 🗑️ line\nbreak \u0000nul \uD83D lone';
            const created = await store.create(sampleCase({ residentWords: words }), 'ATB');
            expect(created.residentWords).to.equal('Ça va? "quoted" \\ back\\slash 🗑️ line\nbreak nul \uFFFD lone');
            expect((await store.get(created.reference))?.residentWords).to.equal(created.residentWords);
        });

        it('creates one case for a repeated idempotency key, giving the first back, even when created at once', async () => {
            const first = await store.create(sampleCase(), 'ATB', [], 'conversation-1@v1');
            const again = await store.create(sampleCase({ residentWords: 'another' }), 'ATB', [], 'conversation-1@v1');
            expect(again).to.deep.equal(first);
            const racing = await Promise.all([
                store.create(sampleCase(), 'ATB', [], 'conversation-1@v2'),
                store.create(sampleCase(), 'ATB', [], 'conversation-1@v2'),
            ]);
            expect(racing[0].reference).to.equal(racing[1].reference);
            const other = await store.create(sampleCase(), 'ATB', [], 'conversation-1@v3');
            expect(other.reference).to.not.equal(first.reference);
            expect(await store.queue()).to.have.length(3);
        });

        it('never gives two cases the same reference (200 creates)', async () => {
            const created = await Promise.all(Array.from({ length: 200 }, () => store.create(sampleCase(), 'ATB')));
            expect(new Set(references(created)).size).to.equal(200);
        });

        it('queues urgent cases first, then the longest waiting, and filters by team', async () => {
            const first = await store.create(sampleCase(), 'ATB');
            await pause(2);
            const housing = await store.create(sampleCase({ team: 'housing' }), 'ATB');
            await pause(2);
            const urgent = await store.create(sampleCase({ priority: 'urgent' }), 'ATB');
            await pause(2);
            const last = await store.create(sampleCase(), 'ATB');
            const urgentHousing = await store.create(sampleCase({ team: 'housing', priority: 'urgent' }), 'ATB');
            expect(references(await store.queue())).to.deep.equal(
                references([urgent, urgentHousing, first, housing, last]),
            );
            expect(references(await store.queue('waste'))).to.deep.equal(references([urgent, first, last]));
            expect(references(await store.queue('housing'))).to.deep.equal(references([urgentHousing, housing]));
            expect(await store.queue('no-such-team')).to.deep.equal([]);
        });

        it('gives a case to the first agent who claims it, and to nobody else', async () => {
            const created = await store.create(sampleCase(), 'ATB');
            const claimed = await store.claim(created.reference, 'agent-1');
            expect(claimed).to.deep.include({ reference: created.reference, status: 'claimed', claimedBy: 'agent-1' });
            expect(Date.parse(claimed?.claimedAt ?? '')).to.be.at.least(Date.parse(created.createdAt));
            expect(await store.claim(created.reference, 'agent-2')).to.equal(undefined);
            expect(await store.get(created.reference)).to.deep.equal(claimed);
            expect(await store.queue()).to.deep.equal([]);
            expect(await store.claim('ATB-22222', 'agent-1')).to.equal(undefined);
        });

        it('lets exactly one of 10 simultaneous claims win', async () => {
            const created = await store.create(sampleCase(), 'ATB');
            const claims = await Promise.all(
                Array.from({ length: 10 }, (_, i) => store.claim(created.reference, `agent-${i}`)),
            );
            const winners = claims.filter((c) => c !== undefined);
            expect(winners).to.have.length(1);
            expect((await store.get(created.reference))?.claimedBy).to.equal(winners[0]?.claimedBy);
        });

        it('closes a case only for the agent who claimed it, with an outcome', async () => {
            const created = await store.create(sampleCase(), 'ATB');
            expect(await store.closeCase(created.reference, 'agent-1', 'resolved')).to.equal(undefined);
            await store.claim(created.reference, 'agent-1');
            expect(await store.closeCase(created.reference, 'agent-2', 'resolved')).to.equal(undefined);
            const closed = await store.closeCase(created.reference, 'agent-1', 'callback');
            expect(closed).to.deep.include({ status: 'closed', claimedBy: 'agent-1', outcome: 'callback' });
            expect(closed?.closedAt).to.be.a('string');
            expect(await store.get(created.reference)).to.deep.equal(closed);
            expect(await store.closeCase(created.reference, 'agent-1', 'resolved')).to.equal(undefined);
            expect(await store.claim(created.reference, 'agent-2')).to.equal(undefined);
            expect(await store.queue()).to.deep.equal([]);
        });

        it('follows a live chat from waiting to connected to ended; other cases have no chat', async () => {
            const phoneCase = await store.create(sampleCase(), 'ATB');
            expect(phoneCase).not.to.have.property('chat');
            const created = await store.create(chatCase(), 'ATB');
            expect(created.chat).to.equal('waiting');
            expect((await store.claim(created.reference, 'agent-1'))?.chat).to.equal('connected');
            expect((await store.closeCase(created.reference, 'agent-1', 'resolved'))?.chat).to.equal('ended');
            expect(await store.endChat(created.reference)).to.equal(undefined);
            await store.claim(phoneCase.reference, 'agent-1');
            expect(await store.closeCase(phoneCase.reference, 'agent-1', 'resolved')).not.to.have.property('chat');
        });

        it('ends a live chat the resident left, once, and the case stays queued for its fallback contact', async () => {
            const created = await store.create(chatCase(), 'ATB');
            const ended = await store.endChat(created.reference);
            expect(ended).to.deep.include({ chat: 'ended', status: 'queued' });
            expect(await store.endChat(created.reference)).to.equal(undefined);
            expect(await store.endChat('ATB-22222')).to.equal(undefined);
            expect((await store.claim(created.reference, 'agent-1'))?.chat).to.equal('ended');
        });

        it('times out only live chats still waiting from before the cutoff, each once', async () => {
            const old = await store.create(chatCase(), 'ATB');
            const claimed = await store.create(chatCase(), 'ATB');
            await store.claim(claimed.reference, 'agent-1');
            await store.create(sampleCase(), 'ATB');
            await pause(5);
            const cutoff = new Date();
            await pause(5);
            const recent = await store.create(chatCase(), 'ATB');
            const expired = await store.expireWaitingChats(cutoff);
            expect(references(expired)).to.deep.equal([old.reference]);
            expect(expired[0]).to.deep.include({ chat: 'timedOut', status: 'queued' });
            expect(await store.expireWaitingChats(cutoff)).to.deep.equal([]);
            expect((await store.get(recent.reference))?.chat).to.equal('waiting');
            // Claimed after timing out: the agent uses the fallback contact; the chat stays timed out.
            expect((await store.claim(old.reference, 'agent-2'))?.chat).to.equal('timedOut');
        });

        it('lets exactly one of several instances time out a waiting chat', async () => {
            const created = await store.create(chatCase(), 'ATB');
            await pause(5);
            const cutoff = new Date();
            const other = await fixture.reopen();
            const results = await Promise.all([
                store.expireWaitingChats(cutoff),
                other.expireWaitingChats(cutoff),
                store.expireWaitingChats(cutoff),
            ]);
            expect(results.flat().map((c) => c.reference)).to.deep.equal([created.reference]);
        });

        it('makes a case urgent when a safety rule fires later, moving it up the queue', async () => {
            const first = await store.create(sampleCase(), 'ATB');
            const later = await store.create(chatCase(), 'ATB');
            const urgent = await store.markUrgent(later.reference, 'suicide-risk');
            expect(urgent).to.deep.include({ priority: 'urgent', chat: 'waiting' });
            expect(urgent?.flags).to.deep.equal({ vulnerable: true, safetyRule: 'suicide-risk' });
            expect(urgent?.details).to.deep.equal(later.details);
            expect(await store.get(later.reference)).to.deep.equal(urgent);
            expect(references(await store.queue())).to.deep.equal([later.reference, first.reference]);
            expect(await store.markUrgent('ATB-22222', 'suicide-risk')).to.equal(undefined);
        });

        it('adds transcript lines in order, and refuses an unknown case', async () => {
            const created = await store.create(sampleCase(), 'ATB');
            const lines = [
                { at: '2025-01-01T09:01:00.000Z', from: 'agent', text: 'Hello, I am Alex' },
                { at: '2025-01-01T09:02:00.000Z', from: 'resident', text: 'Hi Alex' },
            ] as const;
            const positions = [];
            for (const line of lines) positions.push(await store.appendTranscript(created.reference, line));
            expect(positions).to.deep.equal([created.transcript.length + 1, created.transcript.length + 2]);
            expect((await store.get(created.reference))?.transcript).to.deep.equal([...created.transcript, ...lines]);
            let error: unknown;
            await store.appendTranscript('ATB-22222', lines[0]).catch((e: unknown) => (error = e));
            expect(error).to.have.property('code', 'CASE_NOT_FOUND');
        });

        it('loses no transcript line when lines arrive together', async () => {
            const created = await store.create(sampleCase({ transcript: [] }), 'ATB');
            const texts = Array.from({ length: 20 }, (_, i) => `line ${i}`);
            const positions = await Promise.all(
                texts.map((text) =>
                    store.appendTranscript(created.reference, { at: created.createdAt, from: 'agent', text }),
                ),
            );
            const stored = await store.get(created.reference);
            expect(stored?.transcript.map((line) => line.text)).to.have.members(texts);
            // Each line's position is where it really is, so agents' pages can resume after one.
            positions.forEach((position, i) => expect(stored?.transcript[position - 1]?.text).to.equal(texts[i]));
        });

        it('purges the personal content of old cases only, keeping what reports need', async () => {
            const old = await store.create(sampleCase(), 'ATB');
            const closedOld = await store.create(
                sampleCase({ flags: { vulnerable: true, safetyRule: 'harm' } }),
                'ATB',
            );
            await store.claim(closedOld.reference, 'agent-1');
            await store.closeCase(closedOld.reference, 'agent-1', 'referred');
            await pause(5);
            const cutoff = new Date();
            await pause(5);
            const recent = await store.create(sampleCase(), 'ATB');

            expect(await store.purge(cutoff)).to.equal(2);

            const purged = await store.get(closedOld.reference);
            expect(purged).to.deep.include({
                reference: closedOld.reference,
                serviceId: 'missed-bin',
                serviceTitle: 'Missed bin collection',
                team: 'waste',
                status: 'closed',
                outcome: 'referred',
                claimedBy: 'agent-1',
                createdAt: closedOld.createdAt,
                flags: { vulnerable: true, safetyRule: 'harm' },
                residentWords: '',
                transcript: [],
                details: { name: '', contactMethod: 'phone', consent: true },
            });
            expect(purged).to.not.have.property('assistantAnswer');
            expect(purged?.purgedAt).to.be.a('string');
            expect(JSON.stringify(purged)).to.not.match(/Sam|07700|example\.com|High Street|bin was not emptied/);
            expect((await store.get(old.reference))?.residentWords).to.equal('');
            expect(await store.get(recent.reference)).to.deep.equal(recent);
        });

        it('does not purge a case twice', async () => {
            await store.create(sampleCase(), 'ATB');
            await pause(5);
            const cutoff = new Date();
            expect(await store.purge(cutoff)).to.equal(1);
            expect(await store.purge(cutoff)).to.equal(0);
            expect(await store.purge(new Date())).to.equal(0);
        });

        it('purges any number of old cases (more than one batch)', async () => {
            const created = await Promise.all(Array.from({ length: 1203 }, () => store.create(sampleCase(), 'ATB')));
            await pause(5);
            expect(await store.purge(new Date())).to.equal(1203);
            for (const c of [created[0], created[600], created[1202]]) {
                expect((await store.get(c?.reference ?? ''))?.details).to.deep.equal({
                    name: '',
                    contactMethod: 'phone',
                    consent: true,
                });
            }
            expect(await store.purge(new Date())).to.equal(0);
        });

        it('keeps its cases when closed and opened again', async () => {
            const created = await store.create(sampleCase(), 'ATB');
            await store.claim(created.reference, 'agent-1');
            await store.appendTranscript(created.reference, { at: created.createdAt, from: 'agent', text: 'On it' });
            const expected = await store.get(created.reference);
            await store.close();
            const reopened = await fixture.reopen();
            expect(await reopened.get(created.reference)).to.deep.equal(expected);
            expect(await reopened.isReachable()).to.equal(true);
        });
    });
}
