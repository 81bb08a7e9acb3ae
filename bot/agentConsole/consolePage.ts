import { escapeHtml } from './escapeHtml';

/** What every console page shares: its title, the signed-in agent (for the sign-out button) and the main content. */
export interface PageFrame {
    readonly title: string;
    /** HTML, already escaped by the caller. */
    readonly main: string;
    readonly signedIn?: { readonly name: string; readonly csrf: string };
}

/** A whole console page: one skip link, one header, one main; one script (live chat), which every page works without. */
export function consolePage(frame: PageFrame): string {
    const account = frame.signedIn
        ? `<form class="header-account" method="post" action="/agent/sign-out">
                <span>Signed in as ${escapeHtml(frame.signedIn.name)}</span>
                <input type="hidden" name="csrf" value="${escapeHtml(frame.signedIn.csrf)}">
                <button type="submit" class="button button-secondary">Sign out</button>
            </form>`
        : '';
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)} – Agent console</title>
<link rel="stylesheet" href="/agent/agent.css">
<script src="/agent/agent.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="header">
    <div class="width header-inner">
        <a class="header-title" href="/agent">Agent console</a>
        ${account}
    </div>
</header>
<main id="main" class="width" tabindex="-1">
${frame.main}
</main>
</body>
</html>
`;
}
