import { consolePage } from './consolePage';
import { escapeHtml } from './escapeHtml';

/** Shown instead of the sign-in form until the agents file exists: how to create the first account. */
export function setupPage(agentsFile: string): string {
    return consolePage({
        title: 'Create an agent account',
        main: `<h1>Create an agent account</h1>
<p>There are no agent accounts yet. On the server, in the assistant's folder, run:</p>
<pre><code>npm run agent:add -- jo.bloggs "Jo Bloggs" --team customer-services</code></pre>
<p>It asks for a password and saves the account in <code>${escapeHtml(agentsFile)}</code>
(the <code>AGENTS_FILE</code> setting). Add <code>--role manager</code> for someone who sees every team's queue.
Then reload this page to sign in.</p>`,
    });
}
