/** What the assistant remembers about a conversation between turns (stored in conversation state). */
export interface ConversationFacts {
    /** The welcome has been sent (once per conversation, however many members join). */
    welcomed?: boolean;
    /** The service last answered: "talk to a person" then means its team. */
    lastServiceId?: string;
    /** Messages in a row the assistant did not understand; the second one offers a person. */
    notKnownStreak?: number;
    /** The resident's language code. */
    language?: string;
}
