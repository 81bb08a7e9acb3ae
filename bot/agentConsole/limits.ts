/** The longest message an agent can send in one go. */
export const agentMessageLimit = 2000;
