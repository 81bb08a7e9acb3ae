/**
 * Runs work one at a time per key, in arrival order: a conversation's turns in this process never overlap, so a
 * double-click or two tabs cannot race on its state here (across instances the eTag check catches the race).
 */
export class ConversationQueue {
    private readonly tails = new Map<string, Promise<unknown>>();

    run<T>(key: string, work: () => Promise<T>): Promise<T> {
        const previous = this.tails.get(key) ?? Promise.resolve();
        // After the previous one, whether it succeeded or failed.
        const current = previous.then(work, work);
        const tail = current.catch(() => undefined);
        this.tails.set(key, tail);
        void tail.then(() => {
            if (this.tails.get(key) === tail) this.tails.delete(key);
        });
        return current;
    }

    /** Keys with work running or waiting (the map stays bounded by what is in flight). */
    get size(): number {
        return this.tails.size;
    }
}
