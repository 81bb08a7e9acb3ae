import { defaultMatcherSettings, type MatcherSettings } from './matcher';
import { defaultSpellingSettings, type SpellingSettings } from './normaliser';
import type { PhraseRuleOptions } from './phraseRules';
import { defaultRouterSettings, type RouterSettings } from './router';

/** Every tunable number of the engine, in one place. */
export interface EngineSettings {
    readonly spelling: SpellingSettings;
    readonly matching: MatcherSettings;
    readonly routing: RouterSettings;
    readonly safety: PhraseRuleOptions;
    readonly personRequest: PhraseRuleOptions;
    readonly commands: PhraseRuleOptions;
}

export const defaultEngineSettings: EngineSettings = {
    spelling: defaultSpellingSettings,
    matching: defaultMatcherSettings,
    routing: defaultRouterSettings,
    // A safety phrase counts wherever it is said, even one word ("suicidal").
    safety: { mode: 'contains', maxGap: 2, singleWordMaxTerms: Number.POSITIVE_INFINITY },
    personRequest: { mode: 'contains', maxGap: 2, singleWordMaxTerms: 1 },
    commands: { mode: 'whole', maxGap: 0, singleWordMaxTerms: 0 },
};
