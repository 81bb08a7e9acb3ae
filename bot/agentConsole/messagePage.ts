import { consolePage, type PageFrame } from './consolePage';
import { escapeHtml } from './escapeHtml';

/** A page that only says something: an expired form, a case that is not there, a fault. */
export function messagePage(title: string, text: string, signedIn?: PageFrame['signedIn']): string {
    return consolePage({
        title,
        signedIn,
        main: `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
<p><a href="/agent">Go to the agent console</a></p>`,
    });
}
