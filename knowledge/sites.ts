import type { LocalisedText, SiteDefinition } from './schema';

/** A partner site as loaded: `launcherLabel` is always set (the council's assistant name if sites.yaml has none). */
export type Site = Omit<SiteDefinition, 'launcherLabel'> & { readonly launcherLabel: LocalisedText };

/** The partner site with this id, or `undefined`. */
export function findSiteById(sites: readonly Site[], id: string): Site | undefined {
    return sites.find((site) => site.id === id);
}

/**
 * The partner site a request's `Origin` header belongs to, or `undefined`. The comparison is exact, as browsers
 * send origins in one form and the loader only accepts that form: anything else, including `null`, matches no site.
 */
export function findSiteByOrigin(sites: readonly Site[], origin: string | undefined): Site | undefined {
    if (!origin) return undefined;
    return sites.find((site) => site.allowedOrigins.includes(origin));
}
