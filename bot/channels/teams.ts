import { TurnContext, type Activity } from 'botbuilder';

/** The channel id of Microsoft Teams. */
export const teamsChannelId = 'msteams';

/** True in a Teams group chat or channel, where the bot speaks only when spoken to. */
export function isTeamsGroupConversation(activity: Partial<Activity>): boolean {
    const type = activity.conversation?.conversationType;
    return activity.channelId === teamsChannelId && type !== undefined && type !== 'personal';
}

/**
 * Whether a message is for the bot. In a Teams group chat or channel only a message that @mentions the bot is,
 * and the mention is taken out of its text so "@Anytown Assistant bin day" reads "bin day". Everywhere else,
 * every message is.
 */
export function takeMessageForBot(context: TurnContext): boolean {
    const { activity } = context;
    if (!isTeamsGroupConversation(activity)) return true;
    const botId = activity.recipient?.id;
    const mentioned = TurnContext.getMentions(activity).some((m) => m.mentioned?.id === botId);
    if (mentioned) activity.text = (TurnContext.removeRecipientMention(activity) ?? '').trim();
    return mentioned;
}

/** The Microsoft Entra tenant a Teams activity comes from. */
export function teamsTenantId(activity: Partial<Activity>): string | undefined {
    const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
    const fromChannelData = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
    return activity.conversation?.tenantId ?? fromChannelData;
}

/** Who may use the staff diagnostics (`/why`): Teams users of the listed tenants, or everyone when `everywhere`. */
export function diagnosticsPolicy(staffTenants: readonly string[], everywhere: boolean) {
    const tenants = new Set(staffTenants.map((t) => t.toLowerCase()));
    return (activity: Partial<Activity>): boolean => {
        if (everywhere) return true;
        const tenant = activity.channelId === teamsChannelId ? teamsTenantId(activity) : undefined;
        return tenant !== undefined && tenants.has(tenant.toLowerCase());
    };
}
