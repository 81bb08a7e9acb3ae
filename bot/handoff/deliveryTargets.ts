import type { Council } from '../../knowledge/schema';
import { ConfigError, type Config } from '../config';
import type { DeliveryTransport } from '../stores/outbox';

/** Where one team's cases are sent: council.yaml's `delivery`, joined with the secret from the environment. */
export interface DeliveryTarget {
    readonly team: string;
    readonly teamName: string;
    readonly webhook?: { readonly url: string; readonly secret: string };
    readonly email?: { readonly to: string };
}

/** The variable holding one team's webhook secret: `WEBHOOK_SECRET_` and the team id in upper snake case. */
export function webhookSecretVariable(teamId: string): string {
    return `WEBHOOK_SECRET_${teamId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** The transports council.yaml gives a team (none for a team without `delivery`, or an unknown team). */
export function deliveryTransportsFor(council: Pick<Council, 'teams'>, teamId: string): DeliveryTransport[] {
    const delivery = council.teams.find((t) => t.id === teamId)?.delivery;
    return [delivery?.webhook && ('webhook' as const), delivery?.email && ('email' as const)].filter(
        (transport) => transport !== undefined,
    );
}

/**
 * Every team's delivery settings with their secrets. Throws `ConfigError` naming each missing variable, so a team
 * whose cases could never be delivered stops start-up instead of filling the dead letters.
 */
export function resolveDeliveryTargets(
    council: Pick<Council, 'teams'>,
    delivery: Config['delivery'],
): ReadonlyMap<string, DeliveryTarget> {
    const problems: string[] = [];
    const targets = new Map<string, DeliveryTarget>();
    for (const team of council.teams) {
        if (!team.delivery) continue;
        const { webhook, email } = team.delivery;
        const variable = webhookSecretVariable(team.id);
        const secret = delivery.webhookSecrets[variable] ?? delivery.webhookSecrets.WEBHOOK_SECRET;
        if (webhook && !secret) {
            problems.push(`${variable}: required, because team "${team.id}" has a webhook in council.yaml`);
        }
        targets.set(team.id, {
            team: team.id,
            teamName: team.name,
            ...(webhook && secret && { webhook: { url: webhook.url, secret } }),
            ...(email && { email: { to: email.to } }),
        });
    }
    const emailTeams = council.teams.filter((t) => t.delivery?.email).map((t) => `"${t.id}"`);
    if (emailTeams.length > 0) {
        const teams = emailTeams.length > 1 ? `teams ${emailTeams.join(', ')} have` : `team ${emailTeams[0]} has`;
        const because = `because ${teams} email delivery in council.yaml`;
        if (!delivery.smtpUrl) problems.push(`SMTP_URL: required, ${because}`);
        if (!delivery.smtpFrom) problems.push(`SMTP_FROM: required, ${because}`);
    }
    if (problems.length > 0) {
        throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    return targets;
}
