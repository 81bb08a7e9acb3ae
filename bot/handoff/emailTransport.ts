import type { Transporter } from 'nodemailer';
import type { Case } from './case';
import { DeliveryError, type CaseTransport } from './caseTransport';
import { formatCaseSummary } from './caseSummary';
import type { DeliveryTarget } from './deliveryTargets';

/** The subject of a case email: `[ATB-7K3F9] Missed bin collection (normal)`, the team when there is no service. */
export function caseEmailSubject(c: Case, teamName: string): string {
    return `[${c.reference}] ${c.serviceTitle ?? teamName} (${c.priority})`;
}

/**
 * A Message-ID made from the case reference and the sender's domain, the same on every attempt, so a second copy
 * sent after an unconfirmed first one is recognisable as the same message.
 */
export function caseMessageId(reference: string, from: string): string {
    const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'council-assistant.invalid';
    return `<case.${reference}@${domain}>`;
}

/** Timeouts that keep a hung mail server from outlasting a worker's claim on an item. */
export const emailTimeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** Emails a case's readable summary to the team's address through SMTP (nodemailer). */
export class EmailTransport implements CaseTransport {
    /** The mailer's connection, greeting and socket timeouts together (see startDelivery). */
    readonly longestAttemptMs =
        emailTimeouts.connectionTimeout + emailTimeouts.greetingTimeout + emailTimeouts.socketTimeout;

    constructor(
        private readonly mailer: Pick<Transporter, 'sendMail'>,
        private readonly from: string,
    ) {}

    async deliver(c: Case, target: DeliveryTarget): Promise<void> {
        if (!target.email) throw new DeliveryError(`team "${target.team}" has no email delivery`, true);
        await this.mailer.sendMail({
            from: this.from,
            to: target.email.to,
            subject: caseEmailSubject(c, target.teamName),
            text: formatCaseSummary(c),
            messageId: caseMessageId(c.reference, this.from),
            headers: { 'X-Case-Reference': c.reference },
        });
    }
}
