import { consolePage } from './consolePage';
import { escapeHtml } from './escapeHtml';

/** The sign-in form; with `failed`, an error summary first and the username kept. */
export function signInPage(options: { csrf: string; failed?: boolean; username?: string }): string {
    const errorSummary = options.failed
        ? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 id="error-summary-title">There is a problem</h2>
    <ul><li><a href="#username">The username or password is not right</a></li></ul>
</div>`
        : '';
    const invalid = options.failed ? ' aria-invalid="true" aria-describedby="sign-in-error"' : '';
    const errorMessage = options.failed
        ? '<p id="sign-in-error" class="error-message">Error: the username or password is not right</p>'
        : '';
    return consolePage({
        title: options.failed ? 'Error: Sign in' : 'Sign in',
        main: `${errorSummary}
<h1>Sign in</h1>
<form method="post" action="/agent/sign-in" novalidate>
    <input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}">
    ${errorMessage}
    <div class="field">
        <label for="username">Username</label>
        <input id="username" name="username" type="text" autocomplete="username" spellcheck="false" required
            value="${escapeHtml(options.username ?? '')}"${invalid}>
    </div>
    <div class="field">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required${invalid}>
    </div>
    <button type="submit" class="button">Sign in</button>
</form>`,
    });
}
