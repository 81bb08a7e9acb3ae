import { escapeHtml } from '../agentConsole/escapeHtml';

/** What the chat page shows, all of it from the knowledge. */
export interface ChatPageView {
    readonly councilName: string;
    readonly assistantName: string;
    /** Says it is an automated assistant and what it can help with. */
    readonly intro: string;
    readonly councilWebsite: string;
    /** The nonce Web Chat puts on the styles it injects (the Content-Security-Policy allows only those). */
    readonly nonce: string;
    /** The partner site the page is embedded for, if any. */
    readonly site?: string;
    readonly language: string;
}

/**
 * The resident's chat page: a header with the council's name, a short introduction, and Web Chat (loaded from
 * this service, never a CDN). Plain and GOV.UK-like, with nothing that needs JavaScript to read.
 */
export function chatPage(view: ChatPageView): string {
    return `<!doctype html>
<html lang="${escapeHtml(view.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.assistantName)} – ${escapeHtml(view.councilName)}</title>
<link rel="stylesheet" href="/chat/chat.css">
<script src="/chat/webchat.js" defer></script>
<script src="/chat/chat.js" defer></script>
</head>
<body>
<a class="skip-link" href="#chat">Skip to the chat</a>
<header class="header">
    <div class="width">
        <a class="header-title" href="${escapeHtml(view.councilWebsite)}">${escapeHtml(view.councilName)}</a>
    </div>
</header>
<main class="width" id="main">
    <h1>${escapeHtml(view.assistantName)}</h1>
    <p class="intro">${escapeHtml(view.intro)}</p>
    <section id="chat" class="chat" aria-label="Chat with ${escapeHtml(view.assistantName)}" tabindex="-1"
        data-nonce="${escapeHtml(view.nonce)}"${view.site ? ` data-site="${escapeHtml(view.site)}"` : ''}>
        <noscript><p>The chat needs JavaScript. You can also <a href="${escapeHtml(view.councilWebsite)}">use our website</a>.</p></noscript>
        <p class="chat-loading" role="status">Loading the chat…</p>
    </section>
</main>
</body>
</html>
`;
}
