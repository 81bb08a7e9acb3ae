/**
 * The streams open here on each conversation, at most `limit` per conversation: opening one more closes the oldest
 * (through its `evict`), so no client can hold an unbounded number of connections.
 */
export class ConversationStreams<T extends { readonly evict: () => void }> {
    private readonly streams = new Map<string, T[]>();

    constructor(private readonly limit: number) {}

    /** Adds a stream; returns how to remove it (safe to call twice). */
    add(id: string, stream: T): () => void {
        const list = [...(this.streams.get(id) ?? []), stream];
        this.streams.set(id, list);
        while (list.length > this.limit) list.shift()?.evict();
        return () => {
            const rest = (this.streams.get(id) ?? []).filter((s) => s !== stream);
            if (rest.length > 0) this.streams.set(id, rest);
            else this.streams.delete(id);
        };
    }

    of(id: string): readonly T[] {
        return this.streams.get(id) ?? [];
    }

    has(id: string): boolean {
        return this.streams.has(id);
    }

    /** The conversations with a stream open here. */
    ids(): string[] {
        return [...this.streams.keys()];
    }

    /** Closes every stream of the conversation (or of all of them). */
    close(id?: string): void {
        for (const key of id === undefined ? this.ids() : [id]) {
            for (const { evict } of this.streams.get(key) ?? []) evict();
            this.streams.delete(key);
        }
    }
}
