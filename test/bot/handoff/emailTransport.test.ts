import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import nodemailer from 'nodemailer';
import type { Case } from '../../../bot/handoff/case';
import { formatCaseSummary } from '../../../bot/handoff/caseSummary';
import { DeliveryWorker } from '../../../bot/handoff/deliveryWorker';
import { EmailTransport, caseEmailSubject, caseMessageId } from '../../../bot/handoff/emailTransport';
import { SqliteCaseStore } from '../../../bot/stores/sqliteCaseStore';
import { SqliteOutbox } from '../../../bot/stores/sqliteOutbox';
import { capturedLogger } from '../../helpers/capturedLogger';
import { fakeClock } from '../../helpers/fakeClock';
import { mailHeader, mailText, startSmtpPeer } from '../../helpers/smtpPeer';
import { sampleCase } from '../stores/caseStore.contract';

const from = 'Anytown Assistant <assistant@anytown.gov.uk>';

describe('EmailTransport', () => {
    it('names the case in the subject, the service or else the team, and the priority', () => {
        const c: Case = {
            ...sampleCase(),
            reference: 'ATB-7K3F9',
            createdAt: '2026-01-01T09:00:00.000Z',
            status: 'queued',
        };
        expect(caseEmailSubject(c, 'Waste and Recycling')).to.equal('[ATB-7K3F9] Missed bin collection (normal)');
        const general: Case = { ...c, priority: 'urgent', serviceTitle: undefined };
        expect(caseEmailSubject(general, 'Customer Services')).to.equal('[ATB-7K3F9] Customer Services (urgent)');
        expect(caseMessageId('ATB-7K3F9', from)).to.equal('<case.ATB-7K3F9@anytown.gov.uk>');
        expect(caseMessageId('ATB-7K3F9', 'cases@mail.anytown.gov.uk')).to.equal(
            '<case.ATB-7K3F9@mail.anytown.gov.uk>',
        );
    });

    describe('through SMTP, from the outbox', () => {
        let dir: string;
        let cases: SqliteCaseStore;
        let outbox: SqliteOutbox;
        const clock = fakeClock();
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), 'email-transport-'));
            cases = new SqliteCaseStore(path.join(dir, 'assistant.sqlite'), { now: clock.now });
            outbox = new SqliteOutbox(path.join(dir, 'assistant.sqlite'), { now: clock.now });
        });
        afterEach(async () => {
            await cases.close();
            await outbox.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        async function deliverWith(peer: Awaited<ReturnType<typeof startSmtpPeer>>) {
            const mailer = nodemailer.createTransport({ url: peer.url });
            const worker = new DeliveryWorker({
                outbox,
                cases,
                targets: () => ({
                    team: 'waste',
                    teamName: 'Waste and Recycling',
                    email: { to: 'waste@anytown.gov.uk' },
                }),
                transports: { email: new EmailTransport(mailer, from) },
                log: capturedLogger().log,
                now: clock.now,
            });
            return { worker, close: () => mailer.close() };
        }

        it('sends the readable summary to the team, with a Message-ID made from the reference', async () => {
            const peer = await startSmtpPeer();
            const created = await cases.create(sampleCase(), 'ATB', ['email']);
            const { worker, close } = await deliverWith(peer);
            try {
                expect((await worker.runOnce()).delivered).to.equal(1);
                expect(peer.messages).to.have.length(1);
                const [mail] = peer.messages;
                expect(mail?.from).to.equal('assistant@anytown.gov.uk');
                expect(mail?.to).to.deep.equal(['waste@anytown.gov.uk']);
                expect(mailHeader(mail?.raw ?? '', 'Subject')).to.equal(
                    `[${created.reference}] Missed bin collection (normal)`,
                );
                expect(mailHeader(mail?.raw ?? '', 'Message-ID')).to.equal(
                    `<case.${created.reference}@anytown.gov.uk>`,
                );
                expect(mailHeader(mail?.raw ?? '', 'X-Case-Reference')).to.equal(created.reference);
                expect(mailText(mail?.raw ?? '').trimEnd()).to.equal(formatCaseSummary(created).trimEnd());
            } finally {
                close();
                await peer.close();
            }
        });

        it('tries again after a temporary refusal, and sends the same Message-ID', async () => {
            const peer = await startSmtpPeer({ failFirst: 1 });
            const created = await cases.create(sampleCase(), 'ATB', ['email']);
            const { worker, close } = await deliverWith(peer);
            try {
                expect((await worker.runOnce()).retried).to.equal(1);
                expect((await outbox.forCase(created.reference))[0]?.lastError).to.match(/451/);
                clock.advance(60 * 60 * 1000);
                expect((await worker.runOnce()).delivered).to.equal(1);
                expect(peer.messages.map((m) => mailHeader(m.raw, 'Message-ID'))).to.deep.equal([
                    `<case.${created.reference}@anytown.gov.uk>`,
                ]);
            } finally {
                close();
                await peer.close();
            }
        });
    });
});
