import type { LocalisedText } from './schema';

/** The text in the wanted language, falling back to English. */
export function localise(text: LocalisedText, language = 'en'): string {
    if (typeof text === 'string') return text;
    return text[language] ?? text[language.split('-')[0] ?? 'en'] ?? (text.en as string);
}

/** Every language version of a text (for indexing). */
export function allVersions(text: LocalisedText): string[] {
    return typeof text === 'string' ? [text] : Object.values(text);
}

/** Fills `{name}` placeholders; an unknown placeholder is left as it is, so a typo shows in testing. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
    return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
        Object.hasOwn(values, key) ? String(values[key]) : whole,
    );
}
