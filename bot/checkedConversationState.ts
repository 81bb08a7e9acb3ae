import { ConversationState, type Storage, type StoreItems, type TurnContext } from 'botbuilder';

/**
 * Conversation state that saves with the eTag it read, so a save that lost a race with another instance fails
 * (`StorageConflictError`) instead of overwriting it. botbuilder's `BotState.saveChanges` always writes with eTag
 * `*`, last writer wins (botbuilder-core lib/botState.js), which would silently drop the other turn's update.
 * A conversation's turns never overlap within one instance (ResidentBot queues them), so one pending eTag per key
 * is enough.
 */
export class CheckedConversationState extends ConversationState {
    private readonly pending: Map<string, string>;

    constructor(storage: Storage) {
        const pending = new Map<string, string>();
        super({
            read: (keys) => storage.read(keys),
            delete: (keys) => storage.delete(keys),
            write: (changes: StoreItems) => {
                const checked: StoreItems = {};
                for (const [key, item] of Object.entries(changes)) {
                    const eTag = pending.get(key);
                    checked[key] = eTag ? { ...item, eTag } : item;
                }
                return storage.write(checked);
            },
        });
        this.pending = pending;
    }

    /** The eTag this turn's state was read with (until it is saved); none for a conversation not yet stored. */
    readVersion(context: TurnContext): string | undefined {
        const eTag = (this.get(context) as { eTag?: string } | undefined)?.eTag;
        return eTag && eTag !== '*' ? eTag : undefined;
    }

    override async saveChanges(context: TurnContext, force = false): Promise<void> {
        const key = await this.storageKey(context);
        const eTag = this.readVersion(context);
        if (eTag) this.pending.set(key, eTag);
        try {
            await super.saveChanges(context, force);
        } finally {
            this.pending.delete(key);
        }
    }
}
