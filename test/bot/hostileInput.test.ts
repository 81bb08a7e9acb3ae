import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import { escapeHtml } from '../../bot/agentConsole/escapeHtml';
import { ConfigError, loadConfig, projectRoot } from '../../bot/config';
import type { WebhookPayload } from '../../bot/handoff/webhookTransport';
import { Replies } from '../../dialogs/replies';
import { AgentClient, createCaseThroughBot } from '../helpers/agentClient';
import { agentPassword, testSessionSecret, writeAgentsFixture } from '../helpers/agentsFixture';
import { sampleEngine } from '../helpers/assistant';
import { connectDirectLine } from '../helpers/directLineClient';
import { usePostgres } from '../helpers/postgres';
import { readEvents } from '../helpers/serverSentEvents';
import { messageActivity, startTestServer } from '../helpers/server';
import { mailHeader, startSmtpPeer, type ReceivedMail } from '../helpers/smtpPeer';
import { startWebhookReceiver } from '../helpers/webhookReceiver';
import { KnowledgeCopy } from '../knowledge/knowledgeFixture';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

/** Hostile and unusual messages a resident may send, each named by what it tries. */
const messages: readonly (readonly [string, string])[] = [
    ['a script element', '<script>alert(1)</script>'],
    ['an image with an error handler', '<img src=x onerror=alert(1)>'],
    ['a javascript: link in HTML', '<a href="javascript:alert(1)">x</a>'],
    ['a javascript: link in markdown', '[click](javascript:alert(1))'],
    ['emoji: a ZWJ family, a ZWJ rainbow flag, two flags (one a tag sequence), a skin tone', '👩‍👩‍👧‍👦 🏳️‍🌈 🇬🇧 🏴󠁧󠁢󠁷󠁬󠁳󠁿 👍🏽'],
    ['right-to-left Arabic and Hebrew', 'مرحبا، أين سلة المهملات؟ שלום, איפה הפח?'],
    ['control characters NUL, BEL and an ESC colour code', 'bin\u0000day\u0007 \u001b[31mred\u001b[0m'],
    ['a right-to-left override', 'when is my bin \u202eyad nib\u202c'],
    ['zero-width spaces', 'when\u200b is my bin\u200b day'],
    ['a lone high surrogate', 'bin \ud800 day'],
    ['a lone low surrogate on its own', '\udc00'],
    ['a NUL alone', '\u0000'],
    ['template placeholders', '{council} {phone} $' + '{7*7} {{7*7}} <%= 7*7 %>'],
    ['SQL', "'; DROP TABLE cases; --"],
    ['a spreadsheet formula', '=HYPERLINK("https://evil.example/prize","zzqx prize")'],
    ['line breaks, LF and CR alone', 'my bin\nwas not\remptied'],
];

/** A not-known question carrying most of the above at once, and a name with markup, for one case. */
const caseWords = [
    '<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a>',
    '[click](javascript:alert(1)) 👩‍👩‍👧‍👦 🏳️‍🌈 🇬🇧 🏴󠁧󠁢󠁷󠁬󠁳󠁿 👍🏽 مرحبا שלום',
    'a\u0000b\u0007c\u001b[31md \u202eevil\u202c zero\u200bwidth \ud800 {council} zzqx',
].join(' ');
const caseName = '<script>alert(1)</script><img src=x onerror=alert(1)> {phone}';
/** The markup at the start of caseWords, which every surface must show as text. */
const caseMarkup = caseWords.slice(0, caseWords.indexOf(' [click]'));

/** What the stores keep (documented in caseRecord.ts): NULs dropped, an unpaired surrogate replaced by U+FFFD. */
const stored = (text: string) => text.replaceAll('\u0000', '').replace(/\ud800/g, '\ufffd');
/** The same text in the readable summary (email, webhook `summary`): other control characters become U+FFFD. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const summarised = (text: string) => stored(text).replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '\ufffd');

/** What the bot says when a turn fails: it must never be the answer to anything here. */
const apology = new Replies(sampleEngine()).say(sampleEngine().knowledge.conversation.error);

interface Reply {
    readonly type: string;
    readonly text?: string;
    readonly value?: unknown;
}

async function post(url: string, body: unknown): Promise<{ status: number; replies: Reply[] }> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as { activities?: Reply[] }) : {};
    return { status: response.status, replies: parsed.activities ?? [] };
}

/** Polls `done` until it holds, failing after a generous limit with `what` (no timing is asserted). */
async function waitUntil(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

/** Log lines of failed turns or requests. */
const failures = (server: Server) =>
    server.logLines.filter((line) => /"message":"(turn\.failed|messages\.failed|http\.error)"/.test(line));

/** A mail's single body, decoded from its transfer encoding. */
function mailBody(raw: string): string {
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    const encoding = (mailHeader(raw, 'Content-Transfer-Encoding') ?? '').toLowerCase();
    const bytes =
        encoding === 'base64'
            ? Buffer.from(body, 'base64')
            : encoding === 'quoted-printable'
              ? Buffer.from(
                    body
                        .replace(/=\r\n/g, '')
                        .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
                    'latin1',
                )
              : Buffer.from(body, 'utf8');
    return bytes.toString('utf8').replace(/\r\n/g, '\n');
}

/** The cells of a CSV text (RFC 4180 quoting). */
function csvRows(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quoted && c === '"' && text[i + 1] === '"') {
            cell += '"';
            i++;
        } else if (c === '"') {
            quoted = !quoted;
        } else if (!quoted && (c === ',' || c === '\n')) {
            row.push(cell);
            cell = '';
            if (c === '\n') {
                rows.push(row);
                row = [];
            }
        } else {
            cell += c;
        }
    }
    return rows;
}

/** Days around today (UTC), so a report covers what was just said whatever the time. */
const day = (offset: number) => new Date(Date.now() + offset * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

/** Asserts an HTML page shows `caseMarkup` as escaped text and has no element made from it. */
function expectMarkupAsText(html: string, what: string): void {
    expect(html, `${what} shows the markup escaped`).to.contain(escapeHtml(caseMarkup));
    expect(html, `${what} has no script from the resident`).not.to.contain('<script>alert');
    expect(html, `${what} has no image from the resident`).not.to.contain('<img src=x');
    expect(html, `${what} has no javascript: link`).not.to.match(/href=["']?javascript:/i);
}

describe('hostile and unusual input', function () {
    this.timeout(60_000);

    describe('from a resident, through the bot into a case, and everywhere staff read it', () => {
        const secret = 'customer-services-secret-0123';
        const team = '{ id: customer-services, name: Customer Services, queue: general, email: contact@anytown.gov.uk';
        let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
        let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
        let agents: Awaited<ReturnType<typeof writeAgentsFixture>>;
        let copy: KnowledgeCopy;
        let server: Server;
        let reference: string;
        const mailFor = (ref: string): ReceivedMail | undefined =>
            peer.messages.find((m) => mailHeader(m.raw, 'X-Case-Reference') === ref);

        before(async () => {
            receiver = await startWebhookReceiver(secret);
            peer = await startSmtpPeer();
            agents = await writeAgentsFixture([
                { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
                { username: 'boss', name: 'Morgan Manager', role: 'manager' },
            ]);
            copy = new KnowledgeCopy();
            // The default team (where "speak to someone" goes) gets both deliveries.
            copy.replace(
                'council.yaml',
                `${team} }`,
                `${team}, delivery: { webhook: { url: "${receiver.url}" }, email: { to: cases@anytown.gov.uk } } }`,
            );
            server = await startTestServer(
                {
                    KNOWLEDGE_DIR: copy.dir,
                    KNOWLEDGE_WATCH: 'false',
                    AGENTS_FILE: agents.file,
                    SESSION_SECRET: testSessionSecret,
                    WEBHOOK_SECRET_CUSTOMER_SERVICES: secret,
                    SMTP_URL: peer.url,
                    SMTP_FROM: 'Anytown Assistant <assistant@anytown.gov.uk>',
                },
                { delivery: { intervalMs: 5 } },
            );
            const asked = await post(server.url, messageActivity(caseWords, 'hostile-case'));
            expect(asked.status).to.equal(200);
            reference = await createCaseThroughBot(server.url, 'hostile-case', caseName);
            await waitUntil(
                () => receiver.accepted.has(reference) && mailFor(reference) !== undefined,
                'the case reaches the webhook and the mailbox',
            );
        });
        after(async () => {
            await server?.close();
            await receiver?.close();
            await peer?.close();
            agents?.dispose();
            copy?.dispose();
        });

        it('answers every hostile or unusual message with 200 and a reply, never the error apology', async () => {
            for (const [i, [what, text]] of messages.entries()) {
                const { status, replies } = await post(server.url, messageActivity(text, `odd-${i}`));
                expect(status, what).to.equal(200);
                const said = replies.filter((r) => r.type === 'message').map((r) => r.text ?? '');
                expect(said.join(''), `${what}: some reply`).not.to.equal('');
                expect(said, `${what}: not the error apology`).not.to.include(apology);
            }
            expect(failures(server)).to.deep.equal([]);
        });

        it('shows the case on the agent console page as escaped text, and streams it as JSON text', async () => {
            const agent = new AgentClient(server.url);
            expect((await agent.signIn('cs.one', agentPassword)).status).to.equal(303);
            const page = await agent.get(`/agent/cases/${reference}`);
            expect(page.status).to.equal(200);
            expectMarkupAsText(page.text, 'the case page');
            // Every character kept, in the resident's words, the transcript and the name.
            expect(page.text).to.contain(`<p class="typed">${escapeHtml(stored(caseWords))}</p>`);
            expect(page.text).to.contain(`<dd>${escapeHtml(caseName)}</dd>`);
            expect(page.text, 'a placeholder is not filled in').to.contain('{council} zzqx');
            // The only script is the console's own; the only elements are the page's.
            expect(page.text.match(/<script/g)).to.have.length(1);
            expect(page.text).to.contain('<script src="/agent/agent.js" defer></script>');
            expect(page.text).not.to.contain('<img');

            // What agent.js receives for live lines (it sets them with textContent): every line of the transcript.
            const cookie = [...agent.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
            const response = await fetch(`${server.url}/agent/cases/${reference}/events`, { headers: { cookie } });
            expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
            const count = (receiver.accepted.get(reference) as WebhookPayload).transcript.length;
            const lines = (await readEvents(response, 'line', count)) as { text: string; from: string }[];
            expect(lines).to.have.length(count);
            expect(lines[0]).to.deep.include({ from: 'resident', text: stored(caseWords) });
            expect(lines.map((l) => l.text)).to.include(caseName);
        });

        it('sends the webhook the same strings, in signed JSON', () => {
            const payload = receiver.accepted.get(reference) as WebhookPayload;
            expect(
                receiver.requests.filter((r) => r.idempotencyKey === reference).map((r) => r.signatureValid),
            ).to.include(true);
            expect(payload.residentWords).to.equal(stored(caseWords));
            expect(payload.details.name).to.equal(caseName);
            expect(payload.transcript[0]).to.deep.include({ from: 'resident', text: stored(caseWords) });
            expect(payload.summary).to.contain(`Resident's words:\n    ${summarised(caseWords)}\n`);
        });

        it('emails the case as plain text only, the same summary the webhook carries', () => {
            const mail = mailFor(reference) as ReceivedMail;
            expect(mailHeader(mail.raw, 'Content-Type')).to.equal('text/plain; charset=utf-8');
            expect(mail.raw, 'no HTML part or alternative').not.to.match(/text\/html|multipart\//i);
            const text = mailBody(mail.raw);
            expect(text.trimEnd()).to.equal((receiver.accepted.get(reference) as WebhookPayload).summary.trimEnd());
            expect(text).to.contain(`    Name: ${caseName}\n`);
            expect(text).to.contain(`    ${summarised(caseWords)}\n`);
        });

        it('keeps line breaks a resident types in their name inside the name in the emailed summary', async () => {
            const name = 'Jo\nPriority: urgent\rFlags: vulnerable\u2028Phone: 0800 000 000';
            const forged = await createCaseThroughBot(server.url, 'forged-lines', name);
            await waitUntil(() => mailFor(forged) !== undefined, 'the case is emailed');
            const text = mailBody((mailFor(forged) as ReceivedMail).raw);
            // Only the summary's own lines start at the margin or at its field indent.
            const fields = text.split('\n').filter((line) => /^( {4})?(Priority|Flags|Phone):/.test(line));
            expect(fields).to.deep.equal(['Priority: normal', 'Flags: none', '    Phone: 07700 900123']);
            expect(text).to.contain(
                '    Name: Jo\n          Priority: urgent\n          Flags: vulnerable\n          Phone: 0800 000 000\n',
            );
            expect((receiver.accepted.get(forged) as WebhookPayload | undefined)?.details.name).to.equal(name);
        });

        it('shows a not-known question in the insight dashboard as escaped text, on a page that runs no script', async () => {
            const manager = new AgentClient(server.url);
            expect((await manager.signIn('boss', agentPassword)).status).to.equal(303);
            const page = await manager.get(`/agent/insight?from=${day(-1)}&to=${day(1)}`);
            expect(page.status).to.equal(200);
            expect(page.headers.get('content-security-policy')).to.match(/^default-src 'none';/);
            expect(page.headers.get('content-security-policy')).not.to.contain('script-src');
            expectMarkupAsText(page.text, 'the insight dashboard');
            expect(page.text).to.contain(escapeHtml('👩‍👩‍👧‍👦 🏳️‍🌈 🇬🇧 🏴󠁧󠁢󠁷󠁬󠁳󠁿 👍🏽 مرحبا שלום'));
            expect(page.text).not.to.match(/<script|<img/);
        });

        it('npm run report --format csv keeps a question that starts like a formula as text in a spreadsheet', async () => {
            const formulas = [
                '=HYPERLINK("https://evil.example/prize","zzqx prize")',
                "@SUM(1+1)*cmd|' /C calc'!A0",
                '+7*7 wibble wobble',
                '-7+7 quixotic zephyr',
            ];
            for (const [i, text] of formulas.entries()) {
                const { replies } = await post(server.url, messageActivity(text, `formula-${i}`));
                expect(replies.map((r) => r.text).join('\n')).to.contain("I don't know");
            }
            // The HTML report is the dashboard's page, checked above.
            const csv = spawnSync(tsx, ['scripts/report.ts', '--from', day(-1), '--to', day(1), '--format', 'csv'], {
                cwd: projectRoot,
                encoding: 'utf8',
                env: { ...process.env, DATA_DIR: server.dataDir, KNOWLEDGE_DIR: copy.dir, DATABASE_URL: '' },
            });
            expect(csv.status, csv.stderr).to.equal(0);
            const rows = csvRows(csv.stdout);
            const unanswered = rows.filter((r) => r[0] === 'unanswered').map((r) => r[2]);
            for (const text of formulas) expect(unanswered).to.include(`'${text}`);
            expect(unanswered.some((key) => key?.startsWith(caseMarkup))).to.equal(true);
            const formulaCells = rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell));
            expect(formulaCells, 'no cell a spreadsheet would run').to.deep.equal([]);
        });
    });

    describe('on PostgreSQL', () => {
        const { freshSchema } = usePostgres('hostile_input');

        it('answers every hostile or unusual message and keeps the case, NULs and lone surrogates included', async () => {
            const { url, drop } = await freshSchema();
            const server = await startTestServer({ DATABASE_URL: url, SESSION_SECRET: testSessionSecret });
            try {
                for (const [i, [what, text]] of messages.entries()) {
                    const { status, replies } = await post(server.url, messageActivity(text, `pg-odd-${i}`));
                    expect(status, what).to.equal(200);
                    expect(replies.map((r) => r.text).filter(Boolean), what).not.to.include(apology);
                }
                await post(server.url, messageActivity(caseWords, 'pg-case'));
                expect(await createCaseThroughBot(server.url, 'pg-case', caseName)).to.match(/^ATB-/);
                expect(server.logLines.filter((line) => line.includes('"level":"error"'))).to.deep.equal([]);
            } finally {
                await server.close();
                await drop();
            }
        });
    });

    describe('activities of types the bot does not handle', () => {
        let server: Server;
        before(async () => {
            // The serviceUrl of messageActivity: an invoke answered in the HTTP response sends nothing there.
            server = await startTestServer({ ALLOWED_SERVICE_URLS: 'http://127.0.0.1:1' });
        });
        after(() => server.close());

        /** An activity with no text, of `type`, in a conversation of its own. */
        const odd = (fields: Record<string, unknown>) => {
            return { ...messageActivity('', `odd-${Math.random().toString(36).slice(2)}`), text: undefined, ...fields };
        };

        it('ignores them politely: 200, no message in reply, nothing logged as a failure', async () => {
            const ignored: [string, Record<string, unknown>][] = [
                ['an unknown type', { type: 'foo' }],
                ['a reaction', { type: 'messageReaction', reactionsAdded: [{ type: 'like' }] }],
                ['an event with a junk name', { type: 'event', name: '<script>alert(1)</script>', value: '\u0000' }],
                ['an event with no name', { type: 'event' }],
                ['typing', { type: 'typing' }],
                ['a conversation update with no members', { type: 'conversationUpdate' }],
                ['the end of a conversation', { type: 'endOfConversation' }],
                ['an installation update', { type: 'installationUpdate', action: 'add' }],
                ['a message with no text', { type: 'message' }],
            ];
            for (const [what, fields] of ignored) {
                const { status, replies } = await post(server.url, odd(fields));
                expect(status, what).to.equal(200);
                expect(replies, what).to.deep.equal([]);
            }
            expect(failures(server)).to.deep.equal([]);
        });

        it('answers an invoke it has no handler for with 501 Not Implemented, as Bot Framework channels expect', async () => {
            for (const fields of [{ type: 'invoke' }, { type: 'invoke', name: 'junk/thing', value: { a: 1 } }]) {
                const { status, replies } = await post(server.url, odd(fields));
                expect(status).to.equal(200);
                expect(replies.map((r) => [r.type, r.value])).to.deep.equal([['invokeResponse', { status: 501 }]]);
                const direct = await post(server.url, { ...odd(fields), deliveryMode: undefined });
                expect(direct.status).to.equal(501);
            }
            expect(failures(server)).to.deep.equal([]);
        });

        it('refuses a malformed activity with 400 naming what is wrong, without running a turn', async () => {
            const malformed: [unknown, RegExp][] = [
                [odd({ type: undefined }), /^type: /],
                [odd({ type: '' }), /^type: /],
                [odd({ type: 'message', text: 42 }), /^text: /],
                [odd({ type: 'message', conversation: undefined }), /^conversation: /],
                [[1, 2], /^body: /],
                ['null', /^body: /],
                ['not json {', /Invalid JSON/],
            ];
            for (const [body, message] of malformed) {
                const response = await fetch(`${server.url}/api/messages`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: typeof body === 'string' ? body : JSON.stringify(body),
                });
                expect(response.status, JSON.stringify(body)).to.equal(400);
                expect(((await response.json()) as { message: string }).message).to.match(message);
            }
            expect(failures(server)).to.deep.equal([]);
        });

        it('is not polluted by __proto__ or constructor keys in an activity', async () => {
            const activity = JSON.stringify(odd({ type: 'message', text: 'when is my bin day' })).replace(
                /^\{/,
                '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
                    '"value":{"__proto__":{"polluted":"yes"}},',
            );
            const { status, replies } = await post(server.url, activity);
            expect(status).to.equal(200);
            expect(replies.map((r) => r.text).join('\n')).to.contain('bin collection day');
            expect(({} as { polluted?: string }).polluted).to.equal(undefined);
        });
    });

    describe('secrets in the logs', () => {
        const secrets = {
            SESSION_SECRET: 'session-secret-Vq3xYp8LmN2rT6wZ0aB4cD7e',
            ADMIN_TOKEN: 'admin-token-Hk5jR9sQ1uW3yE7iO0pA2dF6gJ8',
            WEBHOOK_SECRET_CUSTOMER_SERVICES: 'webhook-secret-Zt4nB8mC2vX6',
            smtpPassword: 'smtp-password-Lq7wE3rT9yU1',
            MicrosoftAppPassword: 'app-password-Gh2jK4lZ6xC8vB0n',
        };
        const team = '{ id: customer-services, name: Customer Services, queue: general, email: contact@anytown.gov.uk';

        /** Fails naming every value from `values` that appears in a log line. */
        const expectNotLogged = (server: Server, values: Record<string, string>) => {
            const log = server.logLines.join('\n');
            const leaked = Object.entries(values)
                .filter(([, value]) => log.includes(value))
                .map(([name]) => name);
            expect(leaked, 'secrets found in the log').to.deep.equal([]);
        };

        it('logs none of them while agents sign in, an admin is refused, a case is delivered and chat tokens are issued', async () => {
            const receiver = await startWebhookReceiver(secrets.WEBHOOK_SECRET_CUSTOMER_SERVICES);
            const mails: string[] = [];
            const smtp = new SMTPServer({
                disabledCommands: ['STARTTLS'],
                allowInsecureAuth: true,
                logger: false,
                onAuth(auth, _session, callback) {
                    if (auth.username === 'assistant' && auth.password === secrets.smtpPassword) {
                        callback(null, { user: auth.username });
                    } else callback(new Error('Invalid username or password'));
                },
                onData(stream, _session, callback) {
                    const chunks: Buffer[] = [];
                    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
                    stream.on('end', () => (mails.push(Buffer.concat(chunks).toString('utf8')), callback()));
                },
            });
            await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
            const smtpUrl = `smtp://assistant:${secrets.smtpPassword}@127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
            const agents = await writeAgentsFixture([
                { username: 'cs.one', name: 'Chris One', role: 'agent', team: 'customer-services' },
            ]);
            const copy = new KnowledgeCopy();
            copy.replace(
                'council.yaml',
                `${team} }`,
                `${team}, delivery: { webhook: { url: "${receiver.url}" }, email: { to: cases@anytown.gov.uk } } }`,
            );
            let server: Server | undefined;
            try {
                server = await startTestServer(
                    {
                        KNOWLEDGE_DIR: copy.dir,
                        KNOWLEDGE_WATCH: 'false',
                        AGENTS_FILE: agents.file,
                        SESSION_SECRET: secrets.SESSION_SECRET,
                        ADMIN_TOKEN: secrets.ADMIN_TOKEN,
                        WEBHOOK_SECRET_CUSTOMER_SERVICES: secrets.WEBHOOK_SECRET_CUSTOMER_SERVICES,
                        SMTP_URL: smtpUrl,
                        SMTP_FROM: 'Anytown Assistant <assistant@anytown.gov.uk>',
                    },
                    { delivery: { intervalMs: 5 } },
                );
                const url = server.url;
                const wrongPassword = `${agentPassword} but wrong`;
                const nearlyToken = `${secrets.ADMIN_TOKEN.slice(0, -1)}X`;

                const stranger = new AgentClient(url);
                expect((await stranger.signIn('cs.one', wrongPassword)).status).to.equal(401);
                const agent = new AgentClient(url);
                expect((await agent.signIn('cs.one', agentPassword)).status).to.equal(303);
                const session = agent.cookies.get('agent_session') ?? '';
                expect(session).not.to.equal('');

                for (const token of [nearlyToken, secrets.SESSION_SECRET]) {
                    const refused = await fetch(`${url}/admin/reload`, {
                        method: 'POST',
                        headers: { authorization: `Bearer ${token}` },
                    });
                    expect(refused.status).to.equal(401);
                }
                const reloaded = await fetch(`${url}/admin/reload`, {
                    method: 'POST',
                    headers: { authorization: `Bearer ${secrets.ADMIN_TOKEN}` },
                });
                expect(reloaded.status).to.equal(200);

                const reference = await createCaseThroughBot(url, 'secrets-case', 'Jo Bloggs');
                await waitUntil(() => receiver.accepted.has(reference) && mails.length > 0, 'both deliveries');
                await waitUntil(
                    () => (server?.logLines ?? []).filter((l) => l.includes('"message":"delivery.sent"')).length === 2,
                    'both deliveries logged',
                );

                const issued = await fetch(`${url}/api/directline/token`, { method: 'POST' });
                expect(issued.status).to.equal(200);
                const { token, domain } = (await issued.json()) as { token: string; domain: string };
                const chat = connectDirectLine({ token, domain });
                try {
                    await chat.waitForBot('Anytown');
                    await chat.say('when is my bin day');
                    await chat.waitForBot('bin collection day');
                } finally {
                    chat.end();
                }
                const refreshed = await fetch(`${domain}/tokens/refresh`, {
                    method: 'POST',
                    headers: { authorization: `Bearer ${token}` },
                });
                expect(refreshed.status).to.equal(200);
                const { token: refreshedToken } = (await refreshed.json()) as { token: string };

                const log = server.logLines.join('\n');
                for (const event of ['agent.sign_in_failed', 'agent.signed_in', 'admin.refused', 'delivery.sent']) {
                    expect(log, `the log has ${event}`).to.contain(`"message":"${event}"`);
                }
                expectNotLogged(server, {
                    SESSION_SECRET: secrets.SESSION_SECRET,
                    ADMIN_TOKEN: secrets.ADMIN_TOKEN,
                    'the refused admin token': nearlyToken,
                    WEBHOOK_SECRET_CUSTOMER_SERVICES: secrets.WEBHOOK_SECRET_CUSTOMER_SERVICES,
                    'the SMTP password': secrets.smtpPassword,
                    SMTP_URL: smtpUrl,
                    "the agent's password": agentPassword,
                    'the wrong password': wrongPassword,
                    'the session cookie': session,
                    'the Direct Line token': token,
                    'the refreshed Direct Line token': refreshedToken,
                });
            } finally {
                await server?.close();
                await receiver.close();
                await new Promise<void>((resolve) => smtp.close(() => resolve()));
                agents.dispose();
                copy.dispose();
            }
        });

        it('logs neither the app password nor a refused token when /api/messages demands Bot Framework auth', async () => {
            const server = await startTestServer({
                MicrosoftAppId: '00000000-0000-0000-0000-0000000000a1',
                MicrosoftAppPassword: secrets.MicrosoftAppPassword,
                SESSION_SECRET: secrets.SESSION_SECRET,
            });
            try {
                const forged = 'not.a.jwt-Rk2mW8qZ4';
                const activity = JSON.stringify(messageActivity('hello'));
                const headers = { 'content-type': 'application/json' };
                const bare = await fetch(`${server.url}/api/messages`, { method: 'POST', headers, body: activity });
                expect(bare.status).to.equal(401);
                const refused = await fetch(`${server.url}/api/messages`, {
                    method: 'POST',
                    headers: { ...headers, authorization: `Bearer ${forged}` },
                    body: activity,
                });
                expect(refused.status).to.equal(401);
                expectNotLogged(server, {
                    MicrosoftAppPassword: secrets.MicrosoftAppPassword,
                    SESSION_SECRET: secrets.SESSION_SECRET,
                    'the refused token': forged,
                });
            } finally {
                await server.close();
            }
        });

        it('names a refused secret setting without repeating its value', () => {
            const refusals: Record<string, string>[] = [
                { ADMIN_TOKEN: 'short-admin-Qw3' },
                { SESSION_SECRET: 'short-session-Er4' },
                { SMTP_URL: `mail.anytown.gov.uk:${secrets.smtpPassword}` },
                { MicrosoftAppId: 'abc', MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 'pw-Ty5u' },
            ];
            for (const env of refusals) {
                let error: unknown;
                try {
                    loadConfig(env);
                } catch (e) {
                    error = e;
                }
                expect(error, JSON.stringify(Object.keys(env))).to.be.instanceOf(ConfigError);
                const message = String((error as Error).message);
                for (const [name, value] of Object.entries(env)) {
                    if (name !== 'MicrosoftAppId' && name !== 'MicrosoftAppType') {
                        expect(message, name).not.to.contain(value);
                    }
                }
            }
        });
    });
});
