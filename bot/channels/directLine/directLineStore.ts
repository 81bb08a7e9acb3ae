import type { Activity } from 'botbuilder';
import type { DirectLineGrant } from './directLineTokens';

/** One Direct Line conversation as the built-in endpoint keeps it (a snapshot). */
export interface DirectLineConversation {
    readonly id: string;
    readonly userId: string;
    readonly site?: string;
    /** Whether the bot has been told the conversation started. */
    readonly started: boolean;
    /** The watermark of the last activity added (0 before any). */
    readonly watermark: number;
}

/** Called with new activities of a conversation, and the watermark to ask from next. */
export type ActivityListener = (activities: readonly Partial<Activity>[], watermark: number) => void;

/** Limits that keep what the endpoint holds bounded whatever clients do. */
export interface ConversationLimits {
    /** Activities kept per conversation (the oldest are dropped). */
    readonly activities: number;
    /** A conversation idle this long, with nobody connected, is forgotten. */
    readonly idleMs: number;
    /** A conversation this old is forgotten even while connected (its streams are closed). */
    readonly maxAgeMs: number;
    /** Conversations kept at once (by one instance's store): beyond it, the longest idle is forgotten. */
    readonly conversations: number;
    /** Open streams per conversation (per instance): beyond it, the oldest is closed. */
    readonly streamsPerConversation: number;
}

/**
 * The built-in Direct Line's conversations: only what a page needs to show a conversation again after a reload or
 * a restart, within the limits (the lasting record of a conversation is only ever a case). In the SQLite file for
 * one instance (`SqliteDirectLineStore`), or in PostgreSQL so that any instance can serve any request of a
 * conversation and a stream held by one instance hears replies produced on another (`PostgresDirectLineStore`).
 */
export interface DirectLineStore {
    /** The conversation a token grants, created on first use, marked in use. */
    open(grant: DirectLineGrant): Promise<DirectLineConversation>;
    get(id: string): Promise<DirectLineConversation | undefined>;
    /** Marks a conversation in use (a poll, a token refresh); false when it has gone. */
    touch(id: string): Promise<boolean>;
    /** Sets whether the bot has been told of the conversation; true only for the caller that changed it. */
    markStarted(id: string, started: boolean): Promise<boolean>;
    /** Adds an activity with the next id and watermark, tells the listeners, and returns the id (none if gone). */
    add(id: string, activity: Partial<Activity>): Promise<string | undefined>;
    /** The activities after `watermark`, and the watermark to ask from next time. */
    since(id: string, watermark: number): Promise<{ activities: Partial<Activity>[]; watermark: number }>;
    /**
     * Calls `listener` with the activities after `from` and then each new one; returns how to stop (safe twice).
     * When the conversation has too many streams open here, the oldest is closed through its `evict`.
     */
    listen(id: string, from: number, listener: ActivityListener, evict: () => void): () => void;
    /** Forgets conversations idle with nobody connected, or too old (closing their streams); returns how many. */
    sweep(): Promise<number>;
    close(): Promise<void>;
}

/** The id an activity gets: the conversation's, and its watermark. */
export const activityId = (conversationId: string, watermark: number) =>
    `${conversationId}|${String(watermark).padStart(7, '0')}`;
