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

/**
 * The built-in Direct Line's conversations, in memory. They hold only what a page needs to show the conversation
 * again after a reload: at most `activityLimit` recent activities, dropped with the conversation once it has been
 * idle for `idleMs`. Nothing here outlives a restart, and the lasting record of a conversation is only ever a case.
 */
export class DirectLineConversations {
    private readonly conversations = new Map<string, DirectLineConversation>();
    private readonly listeners = new Map<string, Set<ActivityListener>>();

    constructor(
        private readonly activityLimit: number,
        private readonly idleMs: number,
        private readonly now: () => number = Date.now,
    ) {}

    /** The conversation a token grants, created on first use. */
    open(grant: DirectLineGrant): DirectLineConversation {
        let conversation = this.conversations.get(grant.conversationId);
        if (!conversation) {
            conversation = {
                id: grant.conversationId,
                userId: grant.userId,
                ...(grant.site && { site: grant.site }),
                activities: [],
                watermark: 0,
                started: false,
                lastActive: this.now(),
            };
            this.conversations.set(conversation.id, conversation);
        }
        conversation.lastActive = this.now();
        return conversation;
    }

    get(id: string): DirectLineConversation | undefined {
        return this.conversations.get(id);
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
        if (conversation.activities.length > this.activityLimit) conversation.activities.shift();
        for (const listener of this.listeners.get(conversation.id) ?? []) {
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

    /** Calls `listener` with each new activity of the conversation; returns how to stop. */
    listen(id: string, listener: ActivityListener): () => void {
        const set = this.listeners.get(id) ?? new Set<ActivityListener>();
        set.add(listener);
        this.listeners.set(id, set);
        return () => {
            set.delete(listener);
            if (set.size === 0) this.listeners.delete(id);
        };
    }

    /** Forgets conversations idle for longer than the idle time (and nobody is listening to). */
    sweep(): number {
        const cutoff = this.now() - this.idleMs;
        let removed = 0;
        for (const [id, conversation] of this.conversations) {
            if (conversation.lastActive < cutoff && !this.listeners.has(id)) {
                this.conversations.delete(id);
                removed += 1;
            }
        }
        return removed;
    }
}
