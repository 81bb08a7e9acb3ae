import type { Logger } from '../logger';
import type { CaseStore } from '../stores/caseStore';
import type { DeliveryTransport, Outbox, OutboxItem } from '../stores/outbox';
import { DeliveryError, type CaseTransport } from './caseTransport';
import type { DeliveryTarget } from './deliveryTargets';

/** What the delivery worker works with, and its timings; the defaults suit production, tests replace them. */
export interface DeliveryWorkerOptions {
    readonly outbox: Outbox;
    readonly cases: Pick<CaseStore, 'get'>;
    /** A team's delivery settings, undefined when it has none (any more). */
    readonly targets: (team: string) => DeliveryTarget | undefined;
    readonly transports: Readonly<Partial<Record<DeliveryTransport, CaseTransport>>>;
    readonly log: Logger;
    readonly now?: () => Date;
    /** A number in [0, 1) for the jitter. */
    readonly random?: () => number;
    /** Pause between polls when there was nothing more to do (default 5 s). */
    readonly intervalMs?: number;
    /** Items claimed per poll (default 20). */
    readonly batchSize?: number;
    /** How long a claimed item stays with this worker before another may try it (default 60 s, above the timeouts). */
    readonly leaseMs?: number;
    /** Attempts before an item becomes a dead letter (default 8). */
    readonly maxAttempts?: number;
    /** The pause after the first failure, doubling after each one (default 30 s). */
    readonly retryBaseMs?: number;
    /** The longest pause between attempts (default 1 hour). */
    readonly retryMaxMs?: number;
}

/** What one poll did. */
export interface DeliveryPass {
    readonly delivered: number;
    readonly retried: number;
    readonly dead: number;
}

/** The pause before the next attempt: base × 2^(attempt − 1), capped, then jittered to between half and all of it. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
    const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    // Jitter spreads out the retries of cases that failed together (a receiver outage), so they do not return at once.
    return Math.round(delay * (0.5 + random / 2));
}

/** An error as a short line for the outbox and the log: no stack, no request or response body. */
function describeError(error: unknown): string {
    if (!(error instanceof Error)) return String(error).slice(0, 300);
    const cause = error.cause as { code?: unknown } | undefined;
    const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
    return `${error.name}: ${error.message}${code}`.slice(0, 300);
}

/**
 * Sends the outbox's due items with the team's transports: claims a batch (leased, so other workers pass over it),
 * marks each delivered, or due again after an exponential, jittered pause, or a dead letter after the last attempt.
 * Delivery is at least once; the webhook's idempotency key and the email's Message-ID let receivers drop repeats.
 */
export class DeliveryWorker {
    private readonly options: Required<
        Omit<DeliveryWorkerOptions, 'outbox' | 'cases' | 'targets' | 'transports' | 'log'>
    >;
    private timer: NodeJS.Timeout | undefined;
    private pass: Promise<unknown> | undefined;
    private running = false;

    constructor(private readonly deps: DeliveryWorkerOptions) {
        this.options = {
            now: deps.now ?? (() => new Date()),
            random: deps.random ?? Math.random,
            intervalMs: deps.intervalMs ?? 5000,
            batchSize: deps.batchSize ?? 20,
            leaseMs: deps.leaseMs ?? 60_000,
            maxAttempts: deps.maxAttempts ?? 8,
            retryBaseMs: deps.retryBaseMs ?? 30_000,
            retryMaxMs: deps.retryMaxMs ?? 60 * 60_000,
        };
    }

    /** Polls until `stop`; the first poll is at once, so deliveries left by a previous run go out at start-up. */
    start(): void {
        if (this.running) return;
        this.running = true;
        this.schedule(0);
    }

    /** Stops polling and waits for a poll in progress to finish. */
    async stop(): Promise<void> {
        this.running = false;
        clearTimeout(this.timer);
        this.timer = undefined;
        await this.pass;
    }

    /** Claims one batch of due items and tries each once. */
    async runOnce(): Promise<DeliveryPass> {
        const { now, batchSize, leaseMs } = this.options;
        const items = await this.deps.outbox.claimDue(now(), batchSize, leaseMs);
        const outcomes = await Promise.all(items.map((item) => this.attempt(item)));
        return {
            delivered: outcomes.filter((o) => o === 'delivered').length,
            retried: outcomes.filter((o) => o === 'retried').length,
            dead: outcomes.filter((o) => o === 'dead').length,
        };
    }

    private schedule(delayMs: number): void {
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.pass = this.runOnce().then(
                // A full batch means more may be due: go again at once rather than after the interval.
                (pass) => pass.delivered + pass.retried + pass.dead >= this.options.batchSize,
                (error: unknown) => {
                    this.deps.log.error('delivery.poll_failed', { error: describeError(error) });
                    return false;
                },
            );
            void this.pass.then((more) => {
                // A stop and a start during the poll has already scheduled the next one.
                if (this.running && this.timer === undefined) this.schedule(more ? 0 : this.options.intervalMs);
            });
        }, delayMs);
        // Polling alone must not keep the process alive (tests, a shutdown waiting for the event loop to empty).
        this.timer.unref();
    }

    private async attempt(item: OutboxItem): Promise<'delivered' | 'retried' | 'dead'> {
        const event = { reference: item.caseReference, transport: item.transport, team: item.team };
        try {
            await this.send(item);
        } catch (error) {
            const reason = describeError(error);
            const permanent = error instanceof DeliveryError && error.permanent;
            if (permanent || item.attempts >= this.options.maxAttempts) {
                await this.deps.outbox.markDead(item.id, reason);
                this.deps.log.error('delivery.dead', { ...event, id: item.id, attempt: item.attempts, error: reason });
                return 'dead';
            }
            const { now, retryBaseMs, retryMaxMs, random } = this.options;
            const next = new Date(now().getTime() + retryDelayMs(item.attempts, retryBaseMs, retryMaxMs, random()));
            await this.deps.outbox.markFailed(item.id, reason, next);
            this.deps.log.warn('delivery.retry', {
                ...event,
                attempt: item.attempts,
                nextAttemptAt: next.toISOString(),
                error: reason,
            });
            return 'retried';
        }
        await this.deps.outbox.markDelivered(item.id);
        this.deps.log.info('delivery.sent', { ...event, attempt: item.attempts });
        return 'delivered';
    }

    private async send(item: OutboxItem): Promise<void> {
        const target = this.deps.targets(item.team);
        if (!target) throw new DeliveryError(`team "${item.team}" has no delivery settings`, true);
        const transport = this.deps.transports[item.transport];
        if (!transport) throw new DeliveryError(`no ${item.transport} transport is configured`, true);
        const found = await this.deps.cases.get(item.caseReference);
        if (!found) throw new DeliveryError(`case ${item.caseReference} is not in the case store`, true);
        if (found.purgedAt) throw new DeliveryError(`case ${item.caseReference} was purged`, true);
        await transport.deliver(found, target);
    }
}
