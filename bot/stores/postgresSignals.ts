import { Client, type Notification, type Pool } from 'pg';
import type { Logger } from '../logger';
import { postgresConnectionString } from './createPostgresPool';
import type { Signals } from './signals';

/** The channels the service signals on. */
export const signalChannels = ['case_events', 'directline', 'knowledge', 'agent_sessions'] as const;
const channels: readonly string[] = signalChannels;

/** How long to wait before listening again after the connection drops: doubling from 0.5 s up to 30 s. */
const retryMs = (attempt: number) => Math.min(30_000, 500 * 2 ** attempt);

/**
 * Signals between instances through PostgreSQL's LISTEN/NOTIFY: one connection per instance listens, and
 * publishing is a `pg_notify` through the pool. Channel names carry the schema, so deployments (and test runs)
 * sharing a database do not hear each other. A dropped connection is re-established with back-off, and then
 * `onResume` handlers run so that listeners catch up on what they may have missed.
 */
export class PostgresSignals implements Signals {
    private readonly handlers = new Map<string, Set<(payload: string) => void>>();
    private readonly resumeHandlers = new Set<() => void>();
    private client: Client | undefined;
    private retry: NodeJS.Timeout | undefined;
    private closed = false;

    private constructor(
        private readonly url: string,
        private readonly pool: Pool,
        private readonly prefix: string,
        private readonly log: Logger,
    ) {}

    /** Connects the listening connection; throws when PostgreSQL cannot be reached. */
    static async start(url: string, pool: Pool, log: Logger): Promise<PostgresSignals> {
        const { rows } = await pool.query<{ schema: string }>('SELECT current_schema() AS schema');
        const signals = new PostgresSignals(url, pool, `${rows[0]?.schema ?? 'public'}.`, log);
        await signals.listen();
        return signals;
    }

    async publish(channel: string, payload: string): Promise<void> {
        await this.pool.query('SELECT pg_notify($1, $2)', [this.prefix + channel, payload]);
    }

    subscribe(channel: string, handler: (payload: string) => void): () => void {
        const set = this.handlers.get(channel) ?? new Set();
        set.add(handler);
        this.handlers.set(channel, set);
        return () => set.delete(handler);
    }

    onResume(handler: () => void): () => void {
        this.resumeHandlers.add(handler);
        return () => this.resumeHandlers.delete(handler);
    }

    async close(): Promise<void> {
        this.closed = true;
        clearTimeout(this.retry);
        this.handlers.clear();
        await this.client?.end().catch(() => undefined);
    }

    private async listen(): Promise<void> {
        const client = new Client({
            connectionString: postgresConnectionString(this.url),
            connectionTimeoutMillis: 5000,
            // So an operator can tell the listening connections apart in pg_stat_activity.
            application_name: 'council-assistant signals',
        });
        client.on('notification', (message) => this.deliver(message));
        client.on('error', (error) => this.lost(client, error));
        client.on('end', () => this.lost(client));
        try {
            await client.connect();
            // Every channel this service uses, listened to up front: subscribing then needs no round trip.
            await client.query(channels.map((channel) => `LISTEN "${this.prefix}${channel}"`).join('; '));
        } catch (error) {
            await client.end().catch(() => undefined);
            throw error;
        }
        this.client = client;
    }

    private deliver(message: Notification): void {
        if (!message.channel.startsWith(this.prefix)) return;
        const handlers = this.handlers.get(message.channel.slice(this.prefix.length));
        for (const handler of [...(handlers ?? [])]) {
            try {
                handler(message.payload ?? '');
            } catch (error) {
                this.log.error('signals.handler_failed', { channel: message.channel, error });
            }
        }
    }

    private lost(client: Client, error?: Error): void {
        if (this.closed || this.client !== client) return;
        this.client = undefined;
        client.end().catch(() => undefined);
        this.log.warn('signals.connection_lost', { error });
        this.reconnect(0);
    }

    private reconnect(attempt: number): void {
        this.retry = setTimeout(() => {
            this.listen().then(
                () => {
                    this.log.info('signals.resumed', { attempts: attempt + 1 });
                    for (const handler of [...this.resumeHandlers]) handler();
                },
                () => {
                    if (!this.closed) this.reconnect(attempt + 1);
                },
            );
        }, retryMs(attempt));
        this.retry.unref();
    }
}
