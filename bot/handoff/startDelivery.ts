import nodemailer from 'nodemailer';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { CaseStore } from '../stores/caseStore';
import { createOutbox } from '../stores/createOutbox';
import type { Database } from '../stores/database';
import type { Outbox } from '../stores/outbox';
import type { CaseTransport } from './caseTransport';
import type { DeliveryTarget } from './deliveryTargets';
import { DeliveryWorker, type DeliveryWorkerOptions } from './deliveryWorker';
import { EmailTransport, emailTimeouts } from './emailTransport';
import { WebhookTransport } from './webhookTransport';

/** Delivery to the council's systems, running. */
export interface Delivery {
    readonly outbox: Outbox;
    readonly worker: DeliveryWorker;
    /** Stops the worker (letting a send in progress finish) and releases the outbox and the mail connection. */
    close(): Promise<void>;
}

/** Worker timings for tests. */
export type DeliveryOverrides = Partial<Pick<DeliveryWorkerOptions, 'intervalMs' | 'now' | 'random'>>;

/**
 * Opens the outbox next to the case store and starts the worker that sends its items with each team's transports
 * (`targets` gives the current ones, from `resolveDeliveryTargets`, which has already checked the secrets).
 */
export async function startDelivery(
    config: Pick<Config, 'delivery'>,
    database: Database,
    targets: () => ReadonlyMap<string, DeliveryTarget>,
    cases: CaseStore,
    log: Logger,
    overrides: DeliveryOverrides = {},
): Promise<Delivery> {
    const outbox = await createOutbox(database, overrides.now && { now: overrides.now });
    const { smtpUrl, smtpFrom } = config.delivery;
    const mailer = smtpUrl && smtpFrom ? nodemailer.createTransport({ url: smtpUrl, ...emailTimeouts }) : undefined;
    const transports: Partial<Record<'webhook' | 'email', CaseTransport>> = {
        webhook: new WebhookTransport({ timeoutMs: config.delivery.webhookTimeoutSeconds * 1000 }),
        ...(mailer && smtpFrom && { email: new EmailTransport(mailer, smtpFrom) }),
    };
    // A claim outlasts the longest attempt, so no two workers send one item at once; no longer, so an item whose
    // worker died (an instance killed mid-delivery) is taken over soon.
    const leaseMs = Math.max(...Object.values(transports).map((t) => t.longestAttemptMs)) + 10_000;
    const worker = new DeliveryWorker({
        outbox,
        cases,
        targets: (team) => targets().get(team),
        transports,
        log,
        leaseMs,
        ...(overrides.intervalMs !== undefined && { intervalMs: overrides.intervalMs }),
        ...(overrides.now && { now: overrides.now }),
        ...(overrides.random && { random: overrides.random }),
    });
    worker.start();
    log.info('delivery.started', {
        teams: [...targets().values()].map((t) => ({
            team: t.team,
            webhook: t.webhook !== undefined,
            email: t.email !== undefined,
        })),
    });
    return {
        outbox,
        worker,
        close: async () => {
            await worker.stop();
            mailer?.close();
            await outbox.close();
        },
    };
}
