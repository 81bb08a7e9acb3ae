import type { Activity } from 'botbuilder';
import {
    activityId,
    type ActivityListener,
    type ConversationLimits,
    type DirectLineConversation,
    type DirectLineStore,
} from './directLineStore';
import type { DirectLineGrant } from './directLineTokens';
import { ConversationStreams } from './conversationStreams';

interface Held {
    readonly id: string;
    readonly userId: string;
    readonly site?: string;
    readonly created: number;
    readonly activities: { readonly watermark: number; readonly activity: Partial<Activity>; readonly size: number }[];
    watermark: number;
    /** The characters of JSON its activities hold (counted against the store's budget). */
    size: number;
    started: boolean;
    lastActive: number;
}

interface Listening {
    readonly listener: ActivityListener;
    /** Closes the connection behind the listener (when it is evicted). */
    readonly evict: () => void;
}

const snapshot = (held: Held): DirectLineConversation => ({
    id: held.id,
    userId: held.userId,
    ...(held.site && { site: held.site }),
    started: held.started,
    watermark: held.watermark,
});

/**
 * The built-in Direct Line's conversations in this process's memory: one instance; nothing outlives a restart.
 * Besides the per-conversation limits, all activities together stay within `maxChars` of JSON: beyond it the
 * conversation idle longest is forgotten. The map is kept in order of use, so that is always its first entry.
 */
export class MemoryDirectLineStore implements DirectLineStore {
    private readonly conversations = new Map<string, Held>();
    private size = 0;
    private readonly listeners: ConversationStreams<Listening>;

    constructor(
        private readonly limits: ConversationLimits,
        private readonly now: () => number = Date.now,
        private readonly maxChars = 64 * 1024 * 1024,
    ) {
        this.listeners = new ConversationStreams(limits.streamsPerConversation);
    }

    async open(grant: DirectLineGrant): Promise<DirectLineConversation> {
        let held = this.conversations.get(grant.conversationId);
        if (!held) {
            if (this.conversations.size >= this.limits.conversations) this.forgetLongestIdle();
            held = {
                id: grant.conversationId,
                userId: grant.userId,
                ...(grant.site && { site: grant.site }),
                activities: [],
                watermark: 0,
                size: 0,
                started: false,
                lastActive: this.now(),
                created: this.now(),
            };
        }
        this.used(held);
        return snapshot(held);
    }

    async get(id: string): Promise<DirectLineConversation | undefined> {
        const held = this.conversations.get(id);
        return held && snapshot(held);
    }

    async touch(id: string): Promise<boolean> {
        const held = this.conversations.get(id);
        if (held) this.used(held);
        return held !== undefined;
    }

    async markStarted(id: string, started: boolean): Promise<boolean> {
        const held = this.conversations.get(id);
        if (!held || held.started === started) return false;
        held.started = started;
        return true;
    }

    async add(id: string, activity: Partial<Activity>): Promise<string | undefined> {
        const held = this.conversations.get(id);
        if (!held) return undefined;
        held.watermark += 1;
        this.used(held);
        const stored: Partial<Activity> = {
            ...activity,
            id: activityId(held.id, held.watermark),
            conversation: { id: held.id } as Activity['conversation'],
            timestamp: new Date(this.now()),
        };
        const size = JSON.stringify(stored).length;
        held.activities.push({ watermark: held.watermark, activity: stored, size });
        this.resize(held, size);
        if (held.activities.length > this.limits.activities) this.resize(held, -(held.activities.shift()?.size ?? 0));
        // Over budget: the conversations idle longest go (never the one just added to).
        while (this.size > this.maxChars && this.conversations.size > 1) this.forgetLongestIdle();
        for (const { listener } of this.listeners.of(held.id)) listener([stored], held.watermark);
        return stored.id;
    }

    async since(id: string, watermark: number): Promise<{ activities: Partial<Activity>[]; watermark: number }> {
        return this.sinceNow(id, watermark);
    }

    listen(id: string, from: number, listener: ActivityListener, evict: () => void): () => void {
        // Synchronous catch-up then registration: no activity can be added in between.
        const missed = this.sinceNow(id, from);
        if (missed.activities.length > 0) listener(missed.activities, missed.watermark);
        return this.listeners.add(id, { listener, evict });
    }

    async sweep(): Promise<number> {
        const now = this.now();
        let removed = 0;
        for (const [id, held] of this.conversations) {
            const idle = held.lastActive < now - this.limits.idleMs && !this.listeners.has(id);
            if (idle || held.created < now - this.limits.maxAgeMs) {
                this.forget(id);
                removed += 1;
            }
        }
        return removed;
    }

    async close(): Promise<void> {
        for (const id of this.listeners.ids()) this.forget(id);
    }

    private sinceNow(id: string, watermark: number): { activities: Partial<Activity>[]; watermark: number } {
        const held = this.conversations.get(id);
        return {
            activities: (held?.activities ?? []).filter((a) => a.watermark > watermark).map((a) => a.activity),
            watermark: held?.watermark ?? watermark,
        };
    }

    private forget(id: string): void {
        this.listeners.close(id);
        this.size -= this.conversations.get(id)?.size ?? 0;
        this.conversations.delete(id);
    }

    private forgetLongestIdle(): void {
        const oldest = this.conversations.keys().next();
        if (!oldest.done) this.forget(oldest.value);
    }

    /** Marks a conversation just used: last in the map's order. */
    private used(held: Held): void {
        held.lastActive = this.now();
        this.conversations.delete(held.id);
        this.conversations.set(held.id, held);
    }

    private resize(held: Held, by: number): void {
        held.size += by;
        this.size += by;
    }

    /** The characters of JSON all activities hold. */
    get heldChars(): number {
        return this.size;
    }
}
