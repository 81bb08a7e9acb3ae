/**
 * A UK phone number in a standard form ("07700 900123", "01632 960000"), or undefined when the text is not one.
 * Accepts spaces, hyphens, brackets and +44.
 */
export function normaliseUkPhone(text: string): string | undefined {
    const compact = text.replace(/[\s\-().]/g, '');
    const national = compact.replace(/^(?:\+44|0044)0?/, '0');
    if (!/^0[1-9]\d{8,9}$/.test(national)) return undefined;
    if (national.startsWith('07') && national.length === 11) return `${national.slice(0, 5)} ${national.slice(5)}`;
    if (national.length === 11 && /^0(?:1\d1|11\d)/.test(national)) {
        return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
    }
    if (national.length === 11 && /^02/.test(national)) {
        return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    }
    if (national.length === 10) return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
    return `${national.slice(0, 5)} ${national.slice(5)}`;
}

/** An email address in lower case, or undefined when the text is not one. */
export function normaliseEmail(text: string): string | undefined {
    const trimmed = text.trim();
    return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,}$/i.test(trimmed) ? trimmed.toLowerCase() : undefined;
}
