import type { Activity, TurnContext } from 'botbuilder';

/**
 * Where a turn came from, as the server itself established it, never as an activity merely claims: cases, insight
 * and per-resident limits use this, not `activity.channelId` or `channelData.site`, which anyone posting to
 * /api/messages without an app id can write.
 */
export interface TurnOrigin {
    /**
     * The channel: `directline` for the built-in Direct Line, the activity's channel when Bot Framework
     * authentication vouches for it (an app id is set), else `unverified`.
     */
    readonly channel: string;
    /** The partner site, when the server issued the conversation's token for it. */
    readonly site?: string;
    /** A pseudonym for who is at the other end (their address, or their channel account); never the address. */
    readonly client: string;
    /**
     * Bot Framework authentication vouched for the activity (an app id is set): only then is an event from the
     * channel itself, such as an omnichannel platform's `handoff.status`, believed.
     */
    readonly vouched: boolean;
}

/** The channel recorded for a turn nothing vouches for. */
export const unverifiedChannel = 'unverified';

const originKey = Symbol('turnOrigin');

/** Records where this turn came from (the HTTP route does, before the bot runs). */
export function setTurnOrigin(context: TurnContext, origin: TurnOrigin): void {
    context.turnState.set(originKey, origin);
}

/**
 * Where this turn came from. A turn run outside the HTTP route (tests, the evaluation) has no recorded origin: its
 * activity is taken as it is, with no partner site.
 */
export function turnOrigin(context: TurnContext): TurnOrigin {
    const recorded = context.turnState?.get(originKey) as TurnOrigin | undefined;
    return (
        recorded ?? { channel: context.activity.channelId, client: `${context.activity.from?.id ?? ''}`, vouched: true }
    );
}

/** The prefix of the user ids in Azure Direct Line tokens issued for a conversation (see `ChatTokenIssuer`). */
export const azureUserPrefix = 'dl_';

/**
 * The Azure Direct Line user id for a new conversation, with the partner site in it: Azure puts the token's user
 * id in every activity's `from.id`, whatever the page sends, so the site cannot be claimed by anyone else.
 */
export function azureUserId(random: string, site?: string): string {
    return `${azureUserPrefix}${site ? `${site}.` : ''}${random}`;
}

const azureUserSite = new RegExp(`^${azureUserPrefix}([a-z0-9]+(?:-[a-z0-9]+)*)\\.`);

/** The partner site in an Azure Direct Line user id made by `azureUserId`. */
export function siteOfAzureUser(activity: Partial<Activity>): string | undefined {
    return azureUserSite.exec(activity.from?.id ?? '')?.[1];
}
