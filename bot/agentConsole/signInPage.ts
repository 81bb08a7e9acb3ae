import { consolePage } from './consolePage';
import { escapeHtml } from './escapeHtml';

/** The sign-in form; with `failed`, an error summary first and the username kept. */
export function signInPage(options: {
    csrf: string;
    failed?: boolean;
    /** Too many failed attempts: how long until the next may be made. */
    lockedMinutes?: number;
    username?: string;
}): string {
    const problem =
        options.lockedMinutes !== undefined
            ? `Too many attempts to sign in. Wait ${options.lockedMinutes} minute${options.lockedMinutes === 1 ? '' : 's'}, then try again`
            : options.failed
              ? 'The username or password is not right'
              : undefined;
    const errorSummary = problem
        ? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 id="error-summary-title">There is a problem</h2>
    <ul><li><a href="#username">${problem}</a></li></ul>
</div>`
        : '';
    const invalid = problem ? ' aria-invalid="true" aria-describedby="sign-in-error"' : '';
    const errorMessage = problem
        ? `<p id="sign-in-error" class="error-message">Error: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}</p>`
        : '';
    return consolePage({
        title: problem ? 'Error: Sign in' : 'Sign in',
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
