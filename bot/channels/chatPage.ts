import { escapeHtml } from '../agentConsole/escapeHtml';

/** The words around the chat, in the page's language (conversation.yaml `page`). */
export interface ChatPageTexts {
    readonly skipLink: string;
    readonly chatLabel: string;
    readonly loading: string;
    readonly needsJavaScript: string;
    readonly unavailable: string;
    readonly closeChat: string;
}

/** What the chat page shows, all of it from the knowledge. */
export interface ChatPageView {
    readonly language: string;
    readonly councilName: string;
    readonly councilWebsite: string;
    readonly assistantName: string;
    /** Says it is an automated assistant and what it can help with (the council page only: in a partner's small
     * iframe the assistant's first message says it, in the site's own words). */
    readonly intro: string;
    readonly colours: { readonly primary: string; readonly accent: string };
    readonly logoAlt: string;
    readonly texts: ChatPageTexts;
    /** The nonce of the page's one inline style and of the styles Web Chat injects (see the page's CSP). */
    readonly nonce: string;
    /** Set for the page inside a partner site's iframe: compact, with a close button, no site header. */
    readonly site?: string;
}

// Paragraphs of a YAML block (blank-line separated) as <p>s, escaped.
const paragraphs = (text: string) =>
    text
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => `<p class="intro">${escapeHtml(p)}</p>`)
        .join('\n    ');

/**
 * The resident's chat page: the council's header, a short introduction, and Web Chat loaded from this service
 * (never a CDN). Plain and GOV.UK-like; the colours come from the knowledge. Embedded for a partner site, the
 * same page is compact and has a button that closes the chat.
 */
export function chatPage(view: ChatPageView): string {
    const { texts } = view;
    const embedded = view.site !== undefined;
    const header = embedded
        ? `<header class="header header-compact">
    <div class="header-inner">
        <h1 class="header-heading">${escapeHtml(view.assistantName)}</h1>
        <button type="button" class="close-button" id="close-chat">${escapeHtml(texts.closeChat)}</button>
    </div>
</header>`
        : `<header class="header">
    <div class="width">
        <a class="header-title" href="${escapeHtml(view.councilWebsite)}"><img class="header-logo" src="/chat/logo" alt="${escapeHtml(view.logoAlt)}"></a>
    </div>
</header>`;
    return `<!doctype html>
<html lang="${escapeHtml(view.language)}"${embedded ? ' class="embedded"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.assistantName)} – ${escapeHtml(view.councilName)}</title>
<link rel="stylesheet" href="/chat/chat.css">
<style nonce="${escapeHtml(view.nonce)}">:root { --primary: ${view.colours.primary}; --accent: ${view.colours.accent}; }</style>
<script src="/chat/webchat.js" defer></script>
<script src="/chat/chat.js" defer></script>
</head>
<body>
${embedded ? '' : `<a class="skip-link" href="#chat">${escapeHtml(texts.skipLink)}</a>\n`}${header}
<main class="${embedded ? 'embedded-main' : 'width'}" id="main">
    ${embedded ? '' : `<h1>${escapeHtml(view.assistantName)}</h1>\n    ${paragraphs(view.intro)}`}
    <section id="chat" class="chat" aria-label="${escapeHtml(texts.chatLabel)}" tabindex="-1"
        data-nonce="${escapeHtml(view.nonce)}" data-accent="${escapeHtml(view.colours.accent)}"
        data-unavailable="${escapeHtml(texts.unavailable)}"${embedded ? ` data-site="${escapeHtml(view.site ?? '')}"` : ''}>
        <noscript><p>${escapeHtml(texts.needsJavaScript)}</p></noscript>
        <p class="chat-loading" role="status">${escapeHtml(texts.loading)}</p>
    </section>
</main>
</body>
</html>
`;
}
