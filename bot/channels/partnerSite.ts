import type { Activity } from 'botbuilder';
import { findSiteById, type Site } from '../../knowledge/sites';

/**
 * The partner site an activity comes from (`channelData.site`, which the built-in Direct Line sets from the
 * conversation's token and the embedded page sends through Azure's), when the knowledge has such a site.
 */
export function partnerSiteOf(activity: Partial<Activity>, sites: readonly Site[]): string | undefined {
    const site = (activity.channelData as { site?: unknown } | undefined)?.site;
    return typeof site === 'string' ? findSiteById(sites, site)?.id : undefined;
}
