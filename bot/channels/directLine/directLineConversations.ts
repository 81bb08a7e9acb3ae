import type { Activity } from 'botbuilder';
import type { DirectLineGrant } from './directLineTokens';

/** One Direct Line conversation as the built-in endpoint keeps it. */
export interface DirectLineConversation {
    readonly id: string;
    readonly userId: string;
    readonly site?: string;
    /** The most recent activities (the oldest are dropped beyond the limit), each with its watermark. */
    readonly activities: { readonly watermark: number; readonly activity: Partial<Activity> }[];
    /** The watermark of the last activity added (0 before any). */
    watermark: number;
    /** When the bot was told the conversation started. */
    started: boolean;
    lastActive: number;
}

/** Called with the new activities whenever a conversation gets one. */
export type ActivityListener = (activities: readonly Partial<Activity>[], watermark: number) => void;

interface Listening {
    readonly listener: ActivityListener;
    /** Closes the connection behind the listener (when it is evicted). */
    readonly evict: () => void;
}

/** Limits that keep the endpoint's memory bounded whatever clients do. */
export interface ConversationLimits {
    /** Activities kept per conversation (the oldest are dropped). */
    readonly activities: number;
    /** A conversation idle this long, with nobody connected, is forgotten. */
    readonly idleMs: number;
    /** A conversation this old is forgotten even while connected (its streams are closed). */
    readonly maxAgeMs: number;
    /** Conversations kept at once: beyond it, the longest idle is forgotten. */
    readonly conversations: number;
    /** Open streams per conversation: beyond it, the oldest is closed. */
    readonly streamsPerConversation: number;
}

/**
 * The built-in Direct Line's conversations, in memory. They hold only what a page needs to show the conversation
 * again after a reload, within the limits: nothing here outlives a restart, and the lasting record of a
 * conversation is only ever a case.
 */
export class DirectLineConversations {
    private readonly conversations = new Map<string, DirectLineConversation & { readonly created: number }>();
    private readonly listeners = new Map<string, Listening[]>();

    constructor(
        private readonly limits: ConversationLimits,
        private readonly now: () => number = Date.now,
    ) {}

    /** The conversation a token grants, created on first use. */
    open(grant: DirectLineGrant): DirectLineConversation {
        let conversation = this.conversations.get(grant.conversationId);
        if (!conversation) {
            if (this.conversations.size >= this.limits.conversations) this.forgetLongestIdle();
            conversation = {
                id: grant.conversationId,
                userId: grant.userId,
                ...(grant.site && { site: grant.site }),
                activities: [],
                watermark: 0,
                started: false,
                lastActive: this.now(),
                created: this.now(),
            };
            this.conversations.set(conversation.id, conversation);
        }
        conversation.lastActive = this.now();
        return conversation;
    }

    get(id: string): DirectLineConversation | undefined {
        return this.conversations.get(id);
    }

    /** Marks a conversation as in use (a poll, a token refresh). */
    touch(conversation: DirectLineConversation): void {
        conversation.lastActive = this.now();
    }

    /** Adds an activity with the next id and watermark, tells the listeners, and returns the id. */
    add(conversation: DirectLineConversation, activity: Partial<Activity>): string {
        conversation.watermark += 1;
        conversation.lastActive = this.now();
        const stored: Partial<Activity> = {
            ...activity,
            id: `${conversation.id}|${String(conversation.watermark).padStart(7, '0')}`,
            conversation: { id: conversation.id } as Activity['conversation'],
            timestamp: new Date(this.now()),
        };
        conversation.activities.push({ watermark: conversation.watermark, activity: stored });
        if (conversation.activities.length > this.limits.activities) conversation.activities.shift();
        for (const { listener } of this.listeners.get(conversation.id) ?? []) {
            listener([stored], conversation.watermark);
        }
        return stored.id ?? '';
    }

    /** The activities after `watermark`, and the watermark to ask from next time. */
    since(
        conversation: DirectLineConversation,
        watermark: number,
    ): { activities: Partial<Activity>[]; watermark: number } {
        return {
            activities: conversation.activities.filter((a) => a.watermark > watermark).map((a) => a.activity),
            watermark: conversation.watermark,
        };
    }

    /**
     * Calls `listener` with each new activity of the conversation; returns how to stop (safe to call twice). When
     * the conversation has too many streams open, the oldest is closed through its `evict`.
     */
    listen(id: string, listener: ActivityListener, evict: () => void): () => void {
        const entry: Listening = { listener, evict };
        const list = [...(this.listeners.get(id) ?? []), entry];
        this.listeners.set(id, list);
        while (list.length > this.limits.streamsPerConversation) list.shift()?.evict();
        return () => {
            const current = this.listeners.get(id);
            if (!current) return;
            const rest = current.filter((l) => l !== entry);
            if (rest.length > 0) this.listeners.set(id, rest);
            else this.listeners.delete(id);
        };
    }

    /**
     * Forgets conversations idle for longer than the idle time with nobody connected, and any older than the
     * maximum age (closing their streams). Returns how many were forgotten.
     */
    sweep(): number {
        const now = this.now();
        let removed = 0;
        for (const [id, conversation] of this.conversations) {
            const idle = conversation.lastActive < now - this.limits.idleMs && !this.listeners.has(id);
            if (idle || conversation.created < now - this.limits.maxAgeMs) {
                this.forget(id);
                removed += 1;
            }
        }
        return removed;
    }

    private forget(id: string): void {
        for (const { evict } of this.listeners.get(id) ?? []) evict();
        this.listeners.delete(id);
        this.conversations.delete(id);
    }

    private forgetLongestIdle(): void {
        let oldest: DirectLineConversation | undefined;
        for (const conversation of this.conversations.values()) {
            if (!oldest || conversation.lastActive < oldest.lastActive) oldest = conversation;
        }
        if (oldest) this.forget(oldest.id);
    }
}
