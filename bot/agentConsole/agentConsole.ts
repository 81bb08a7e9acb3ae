import { randomBytes } from 'node:crypto';
import type restify from 'restify';
import { z } from 'zod';
import type { Case, CaseOutcome } from '../handoff/case';
import { isCaseReference } from '../handoff/caseReference';
import { queryOf, requestIsSecure } from '../channels/serviceOrigin';
import type { CaseEvent, CaseEvents } from '../liveChat/caseEvents';
import type { LiveChat } from '../liveChat/liveChat';
import type { Logger } from '../logger';
import type { ProxyTrust } from '../proxyTrust';
import type { AgentSessionStore } from '../stores/agentSessionStore';
import type { CaseStore } from '../stores/caseStore';
import type { Signals } from '../stores/signals';
import { AgentsFileError, type AgentAccount, type AgentDirectory } from './agentDirectory';
import { casePage, chatStatus, safetyAlert } from './casePage';
import { LineFeed } from './lineFeed';
import { formatCouncilTime } from './formatTime';
import { agentMessageLimit } from './limits';
import { parseCookies, serializeCookie } from './cookies';
import { messagePage } from './messagePage';
import { verifyPassword } from './passwordHash';
import { queuePage } from './queuePage';
import type { Session, SessionSigner } from './sessionSigner';
import { setupPage } from './setupPage';
import { signInPage } from './signInPage';
import { SignInThrottle } from './signInThrottle';

/** What the agent console needs from the rest of the service. */
export interface AgentConsoleDependencies {
    readonly agents: AgentDirectory;
    readonly cases: CaseStore;
    /** Sends agents' messages to residents and tells residents when an agent joins or closes the chat. */
    readonly liveChat: LiveChat;
    /** What happens to cases while an agent's page is open (new chat lines, state changes). */
    readonly events: CaseEvents;
    readonly signer: SessionSigner;
    readonly sessionHours: number;
    /** Agents' sign-outs, in the database every instance reads. */
    readonly sessions: AgentSessionStore;
    /** Tells every instance of a sign-out at once, so event streams open there end (`agent_sessions`). */
    readonly signals: Signals;
    /** The proxies whose `X-Forwarded-Proto` is believed when deciding whether cookies get `Secure`. */
    readonly trustProxy: ProxyTrust;
    /** The council's time zone (council.yaml), in which agents read every time. */
    readonly timezone: string;
    /** Team names by id, from council.yaml. */
    readonly teamNames: ReadonlyMap<string, string>;
    /** The stylesheet's text (web/agent.css). */
    readonly stylesheet: string;
    /** The live chat script's text (web/agent.js). */
    readonly script: string;
    /** Shown on the page that explains how to create the first account. */
    readonly agentsFile: string;
    readonly log: Logger;
    /** Told when an agent claims a case (insight records how long it waited). */
    readonly onClaimed?: (claimed: Case) => void | Promise<void>;
    /** Told when an agent closes a case (insight records its outcome). */
    readonly onClosed?: (closed: Case) => void | Promise<void>;
    /** The insight report of a period, as HTML with its style under `nonce` (for managers at /insight). */
    readonly insightReport?: (from: string, to: string, nonce: string) => Promise<string>;
    readonly now?: () => Date;
}

const sessionCookie = 'agent_session';
const preSessionCookie = 'agent_presession';
const preSessionPattern = /^[A-Za-z0-9_-]{32,64}$/;
/** The signal a sign-out sends every instance: `<new generation> <username>`. */
export const agentSessionsChannel = 'agent_sessions';

const securityHeaders = {
    'content-security-policy':
        "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Pages hold residents' personal details: never keep them in a shared or back-button cache.
    'cache-control': 'no-store',
};

const signInSchema = z.object({
    username: z.string().max(200),
    password: z.string().max(1000),
    csrf: z.string().max(200).optional(),
});
const csrfSchema = z.object({ csrf: z.string().max(200).optional() }).loose();
const closeSchema = z.object({ outcome: z.enum(['resolved', 'callback', 'referred']) }).loose();
const messageSchema = z.object({ text: z.string().trim().min(1).max(agentMessageLimit) }).loose();

// A comment line every so often keeps proxies from closing a quiet event stream.
const heartbeatMs = 25_000;

interface SignedIn {
    readonly account: AgentAccount;
    readonly session: Session;
    /** The session cookie's value, which the CSRF token is bound to. */
    readonly sessionId: string;
    readonly csrf: string;
}

/** An open event stream: how to end it, and to check again that its agent may still see it. */
interface OpenStream {
    end(): void;
    recheck(): void;
}

/**
 * Adds the agent console's pages (`/agent…`) to the server: sign-in, the queue, a case, claim, live chat and close.
 * Returns how to end the open event streams, so the server can close.
 */
export function registerAgentConsole(server: restify.Server, deps: AgentConsoleDependencies): { close(): void } {
    const streams = new Set<OpenStream>();
    const now = deps.now ?? (() => new Date());
    const { signer, log } = deps;
    const throttle = new SignInThrottle(() => now().getTime());

    // Per agent, the lowest session generation still valid as far as this instance has heard (from a sign-out
    // here, another instance's signal, or the database): the event streams' checks, which cannot wait for a query,
    // read it. At most one entry per agent account.
    const validFrom = new Map<string, number>();
    /** The agent's sessions older than `generation` have ended: open streams of theirs end now. */
    const ended = (username: string, generation: number) => {
        if ((validFrom.get(username) ?? 0) >= generation) return;
        validFrom.set(username, generation);
        for (const open of [...streams]) open.recheck();
    };
    const stopSignal = deps.signals.subscribe(agentSessionsChannel, (payload) => {
        const match = /^(\d{1,9}) (\S{1,200})$/.exec(payload);
        if (match) ended(match[2] ?? '', Number(match[1]));
    });

    const send = (
        res: restify.Response,
        status: number,
        html: string,
        headers: Record<string, string | string[]> = {},
    ) => {
        res.writeHead(status, { ...securityHeaders, 'content-type': 'text/html; charset=utf-8', ...headers });
        res.end(html);
    };
    const redirect = (res: restify.Response, location: string, headers: Record<string, string | string[]> = {}) => {
        res.writeHead(303, { ...securityHeaders, location, ...headers });
        res.end();
    };
    const isSecure = (req: restify.Request) => requestIsSecure(req, deps.trustProxy);
    const cookie = (req: restify.Request, name: string, value: string, maxAge: number) =>
        serializeCookie(name, value, { maxAge, secure: isSecure(req) });
    /**
     * The request's agent, checked without waiting: a valid, unexpired cookie of an account that is still in the
     * agents file with the same password (removing an account or changing its password ends its sessions at once),
     * and not signed out as far as this instance has heard. The event streams' checks on every event use this.
     */
    const currentAgent = (req: restify.Request): SignedIn | undefined => {
        const sessionId = parseCookies(req.header('cookie')).get(sessionCookie);
        const session = signer.verify(sessionId, now());
        if (!session || !sessionId) return undefined;
        const account = deps.agents.find(session.username);
        if (!account || !signer.matchesPassword(session, account.passwordHash)) return undefined;
        if (session.generation < (validFrom.get(account.username) ?? 0)) return undefined;
        return { account, session, sessionId, csrf: signer.csrfToken(sessionId) };
    };
    /** Signed out on any instance since this session was issued: the database says. */
    const signedOutSince = async (agent: SignedIn): Promise<boolean> => {
        const generation = await deps.sessions.generation(agent.account.username);
        if (agent.session.generation >= generation) return false;
        ended(agent.account.username, generation);
        return true;
    };
    /** The request's agent (currentAgent), not signed out on any instance: every request is checked this way. */
    const signedIn = async (req: restify.Request): Promise<SignedIn | undefined> => {
        const agent = currentAgent(req);
        return agent && !(await signedOutSince(agent)) ? agent : undefined;
    };
    const frame = (agent: SignedIn) => ({ name: agent.account.name, csrf: agent.csrf });
    const formBody = (req: restify.Request): unknown =>
        typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {};
    const canSee = (account: AgentAccount, c: Case) =>
        account.role === 'manager' || account.team === undefined || c.team === account.team;
    const nameOf = (username: string | undefined) =>
        username === undefined ? undefined : (deps.agents.find(username)?.name ?? username);

    // Every handler's faults end here: an agent sees a plain page, never a stack trace, and the process carries on.
    const handle =
        (handler: (req: restify.Request, res: restify.Response) => Promise<void>) =>
        async (req: restify.Request, res: restify.Response) => {
            try {
                await handler(req, res);
            } catch (error) {
                const code = error instanceof AgentsFileError ? 'agent.agents_file_invalid' : 'agent.failed';
                log.error(code, { route: req.getPath(), error });
                if (!res.headersSent) {
                    send(res, 500, messagePage('Sorry, there is a problem', 'Please try again in a few minutes.'));
                }
            }
        };

    const showSignIn = (req: restify.Request, res: restify.Response) => {
        const existing = parseCookies(req.header('cookie')).get(preSessionCookie);
        const preSession =
            existing && preSessionPattern.test(existing) ? existing : randomBytes(32).toString('base64url');
        send(res, 200, signInPage({ csrf: signer.csrfToken(preSession) }), {
            'set-cookie': cookie(req, preSessionCookie, preSession, 60 * 60),
        });
    };

    /** The case an agent asked for by reference, or undefined after answering 404. */
    const findCase = async (req: restify.Request, res: restify.Response, agent: SignedIn) => {
        const reference = String(req.params?.reference ?? '').toUpperCase();
        const found = isCaseReference(reference) ? await deps.cases.get(reference) : undefined;
        // Another team's case answers exactly as a missing one, so references cannot be probed.
        if (found && canSee(agent.account, found)) return found;
        send(
            res,
            404,
            messagePage('Case not found', 'There is no case with that reference in your queues.', frame(agent)),
        );
        return undefined;
    };
    const showCase = (
        res: restify.Response,
        status: number,
        agent: SignedIn,
        c: Case,
        problem?: string,
        draft?: string,
    ) =>
        send(
            res,
            status,
            casePage({
                agentName: agent.account.name,
                username: agent.account.username,
                csrf: agent.csrf,
                case: c,
                teamName: deps.teamNames.get(c.team) ?? c.team,
                claimedByName: nameOf(c.claimedBy),
                timezone: deps.timezone,
                problem,
                draft,
            }),
        );
    /** The signed-in agent of a form post with a valid CSRF token, or undefined after answering 401 or 403. */
    const postingAgent = async (req: restify.Request, res: restify.Response) => {
        const agent = await signedIn(req);
        if (!agent) {
            send(res, 401, messagePage('Signed out', 'Your session has ended. Sign in again to carry on.'));
            return undefined;
        }
        const body = csrfSchema.safeParse(formBody(req));
        if (!body.success || !signer.verifyCsrf(agent.sessionId, body.data.csrf)) {
            send(
                res,
                403,
                messagePage('This form has expired', 'Go back, reload the page and try again.', frame(agent)),
            );
            return undefined;
        }
        return agent;
    };

    const asset = (type: string, body: string) => async (_req: restify.Request, res: restify.Response) => {
        res.writeHead(200, {
            'content-type': `${type}; charset=utf-8`,
            'x-content-type-options': 'nosniff',
            'cache-control': 'public, max-age=3600',
        });
        res.end(body);
    };
    server.get('/agent/agent.css', asset('text/css', deps.stylesheet));
    server.get('/agent/agent.js', asset('text/javascript', deps.script));

    server.get(
        '/agent',
        handle(async (req, res) => {
            if (deps.agents.list() === undefined) return send(res, 200, setupPage(deps.agentsFile));
            const agent = await signedIn(req);
            if (!agent) return showSignIn(req, res);
            const team = agent.account.role === 'manager' ? undefined : agent.account.team;
            const closed = new URL(req.url ?? '/', 'http://console').searchParams.get('closed') ?? '';
            send(
                res,
                200,
                queuePage({
                    agentName: agent.account.name,
                    csrf: agent.csrf,
                    cases: await deps.cases.queue(team),
                    teamName: team === undefined ? undefined : (deps.teamNames.get(team) ?? team),
                    teamNames: deps.teamNames,
                    now: now(),
                    notice: isCaseReference(closed) ? `Case ${closed} is closed.` : undefined,
                }),
            );
        }),
    );

    server.post(
        '/agent/sign-in',
        handle(async (req, res) => {
            const body = signInSchema.safeParse(formBody(req));
            if (!body.success) return send(res, 400, messagePage('Sign in', 'Fill in the username and password.'));
            const preSession = parseCookies(req.header('cookie')).get(preSessionCookie);
            if (!signer.verifyCsrf(preSession, body.data.csrf)) {
                return send(res, 403, messagePage('This form has expired', 'Go back, reload the page and sign in.'));
            }
            const agents = deps.agents.list();
            if (agents === undefined) return send(res, 200, setupPage(deps.agentsFile));
            const username = body.data.username.trim().toLowerCase();
            const wait = throttle.waitSeconds(username);
            if (wait > 0) {
                log.warn('agent.sign_in_locked');
                res.header('retry-after', String(wait));
                return send(
                    res,
                    429,
                    signInPage({
                        csrf: signer.csrfToken(preSession ?? ''),
                        lockedMinutes: Math.ceil(wait / 60),
                        username,
                    }),
                );
            }
            const account = agents.find((a) => a.username === username);
            // An unknown username costs as much as a wrong password, so timing does not reveal which usernames exist.
            const stand = account ?? agents[0];
            const matches = stand ? await verifyPassword(body.data.password, stand.passwordHash) : false;
            if (!account || !matches) {
                throttle.failed(username);
                log.info('agent.sign_in_failed');
                return send(res, 401, signInPage({ csrf: signer.csrfToken(preSession ?? ''), failed: true, username }));
            }
            throttle.succeeded(username);
            const expires = now().getTime() + deps.sessionHours * 60 * 60 * 1000;
            const session = signer.sign({
                username: account.username,
                expires,
                generation: await deps.sessions.generation(account.username),
                passwordKey: signer.passwordKey(account.passwordHash),
            });
            log.info('agent.signed_in', { username: account.username });
            redirect(res, '/agent', {
                'set-cookie': [
                    cookie(req, sessionCookie, session, deps.sessionHours * 60 * 60),
                    cookie(req, preSessionCookie, '', 0),
                ],
            });
        }),
    );

    server.post(
        '/agent/sign-out',
        handle(async (req, res) => {
            const agent = await postingAgent(req, res);
            if (!agent) return;
            // Every session of this agent ends, in every browser and on every instance: a copied cookie included.
            const { username } = agent.account;
            const generation = await deps.sessions.endSessions(username, now());
            ended(username, generation);
            // Other instances end their open streams now; should the signal be lost, their next check of the
            // database (every request, every heartbeat of a stream) does.
            deps.signals
                .publish(agentSessionsChannel, `${generation} ${username}`)
                .catch((error: unknown) => log.warn('agent.sign_out_signal_failed', { error }));
            log.info('agent.signed_out', { username });
            redirect(res, '/agent', { 'set-cookie': cookie(req, sessionCookie, '', 0) });
        }),
    );

    server.get(
        '/agent/cases/:reference',
        handle(async (req, res) => {
            const agent = await signedIn(req);
            if (!agent) return redirect(res, '/agent');
            const c = await findCase(req, res, agent);
            if (c) showCase(res, 200, agent, c);
        }),
    );

    server.post(
        '/agent/cases/:reference/claim',
        handle(async (req, res) => {
            const agent = await postingAgent(req, res);
            const c = agent && (await findCase(req, res, agent));
            if (!agent || !c) return;
            const claimed = await deps.cases.claim(c.reference, agent.account.username);
            const path = `/agent/cases/${encodeURIComponent(c.reference)}`;
            if (claimed) {
                log.info('agent.claimed', { username: agent.account.username, reference: c.reference });
                await Promise.resolve(deps.onClaimed?.(claimed)).catch((error: unknown) =>
                    log.warn('agent.claimed_observer_failed', { reference: c.reference, error }),
                );
                // The claim stands even if the resident's chat cannot be reached: the case has their details.
                await deps.liveChat
                    .joined(claimed, agent.account.name)
                    .catch((error: unknown) => log.warn('agent.join_notice_failed', { reference: c.reference, error }));
                return redirect(res, path);
            }
            const latest = (await deps.cases.get(c.reference)) ?? c;
            if (latest.status === 'claimed' && latest.claimedBy === agent.account.username) return redirect(res, path);
            const problem =
                latest.status === 'claimed'
                    ? `Already taken by ${nameOf(latest.claimedBy) ?? 'another agent'}.`
                    : 'This case is already closed.';
            showCase(res, 409, agent, latest, problem);
        }),
    );

    server.post(
        '/agent/cases/:reference/close',
        handle(async (req, res) => {
            const agent = await postingAgent(req, res);
            const c = agent && (await findCase(req, res, agent));
            if (!agent || !c) return;
            const body = closeSchema.safeParse(formBody(req));
            if (!body.success) return showCase(res, 400, agent, c, 'Choose how the case ended.');
            const outcome: CaseOutcome = body.data.outcome;
            const closed = await deps.cases.closeCase(c.reference, agent.account.username, outcome);
            if (!closed) {
                const latest = (await deps.cases.get(c.reference)) ?? c;
                return showCase(res, 409, agent, latest, 'Only the agent who claimed this case can close it.');
            }
            log.info('agent.closed', { username: agent.account.username, reference: c.reference, outcome });
            await deps.liveChat
                .closed(c, closed, agent.account.name)
                .catch((error: unknown) => log.warn('agent.end_notice_failed', { reference: c.reference, error }));
            await Promise.resolve(deps.onClosed?.(closed)).catch((error: unknown) =>
                log.warn('agent.closed_observer_failed', { reference: c.reference, error }),
            );
            redirect(res, `/agent?closed=${encodeURIComponent(c.reference)}`);
        }),
    );

    server.post(
        '/agent/cases/:reference/messages',
        handle(async (req, res) => {
            const agent = await postingAgent(req, res);
            const c = agent && (await findCase(req, res, agent));
            if (!agent || !c) return;
            const wantsJson = (req.header('accept') ?? '').includes('application/json');
            // Without JavaScript the page comes back with the message still in the box, to try again.
            const typed = (formBody(req) as { text?: unknown }).text;
            const draft = typeof typed === 'string' ? typed.slice(0, agentMessageLimit) : undefined;
            const fail = (status: number, problem: string) =>
                wantsJson ? res.send(status, { error: problem }) : showCase(res, status, agent, c, problem, draft);
            const body = messageSchema.safeParse(formBody(req));
            if (!body.success) return fail(400, `Type a message of up to ${agentMessageLimit} characters.`);
            if (c.status !== 'claimed' || c.claimedBy !== agent.account.username || c.chat !== 'connected') {
                return fail(409, 'This chat is not open: only the agent who claimed a live chat can write in it.');
            }
            try {
                await deps.liveChat.agentSays(c, body.data.text, agent.account.name);
            } catch (error) {
                log.warn('agent.message_failed', { reference: c.reference, error });
                return fail(502, 'The message could not reach the resident. Contact them by phone or email instead.');
            }
            if (wantsJson) return res.send(201, { sent: true });
            redirect(res, `/agent/cases/${encodeURIComponent(c.reference)}#chat`);
        }),
    );

    /**
     * Opens a server-sent event stream for `agent`: `forward` turns case events into messages for the page. The
     * agent's right to see it (`allowed`) is checked again on every event and heartbeat, and when a sign-out is
     * heard of, so an account removed from the agents file, moved to another team, given a new password or signed
     * out (in any browser, on any instance), or whose session expired, stops receiving at once. Each heartbeat also
     * asks the database, in case another instance's signal was lost. Returns how to write to it.
     */
    const stream = (
        req: restify.Request,
        res: restify.Response,
        agent: SignedIn,
        allowed: () => boolean,
        forward: (event: CaseEvent) => string | undefined,
    ) => {
        res.writeHead(200, {
            ...securityHeaders,
            'content-type': 'text/event-stream; charset=utf-8',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
        });
        const write = (message: string) => {
            if (message && !res.writableEnded) res.write(message);
        };
        const stillAllowed = () => {
            try {
                if (allowed()) return true;
            } catch {
                // A malformed agents file lets nobody in.
            }
            end();
            return false;
        };
        const unsubscribe = deps.events.subscribe((event) => {
            if (stillAllowed()) write(forward(event) ?? '');
        });
        const heartbeat = setInterval(() => {
            if (!stillAllowed()) return;
            write(': still here\n\n');
            signedOutSince(agent).then(
                (out) => out && stillAllowed(),
                // The database is unreachable: the stream was allowed when it opened, and signals still arrive.
                (error: unknown) => log.warn('agent.session_check_failed', { error }),
            );
        }, heartbeatMs);
        const end = () => {
            clearInterval(heartbeat);
            unsubscribe();
            streams.delete(open);
            if (!res.writableEnded) res.end();
        };
        const open: OpenStream = { end, recheck: () => void stillAllowed() };
        streams.add(open);
        res.on('close', end);
        // The page may have gone while the request was being checked.
        if (req.destroyed) end();
        write('retry: 3000\n\n');
        return write;
    };
    const sse = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    /** The stream's agent is still signed in with the same account details (team and role included). */
    const sameAgent = (req: restify.Request, agent: SignedIn) => {
        const now = currentAgent(req)?.account;
        return (
            now?.username === agent.account.username &&
            now.team === agent.account.team &&
            now.role === agent.account.role
        );
    };

    // The open case page's live updates: new chat lines and state changes. Each line's id is its position in the
    // transcript, so a reconnecting page (Last-Event-ID) or one rendered a moment ago (?after=) misses nothing.
    server.get(
        '/agent/cases/:reference/events',
        handle(async (req, res) => {
            const agent = await signedIn(req);
            if (!agent) return send(res, 401, messagePage('Signed out', 'Sign in again to carry on.'));
            const c = await findCase(req, res, agent);
            if (!c) return;
            const resumeFrom =
                req.header('last-event-id') || new URL(req.url ?? '/', 'http://console').searchParams.get('after');
            const changed = (latest: Case) =>
                sse('changed', {
                    status: latest.status,
                    chat: latest.chat ?? null,
                    statusText: chatStatus(latest, agent.account.username, nameOf(latest.claimedBy)),
                    alert: safetyAlert(latest) ?? null,
                });
            const lines = new LineFeed(
                /^\d{1,9}$/.test(resumeFrom ?? '') ? Number(resumeFrom) : 0,
                async () => (await deps.cases.get(c.reference))?.transcript ?? [],
                (entry, position) =>
                    write(
                        `id: ${position}\n${sse('line', { ...entry, time: formatCouncilTime(entry.at, deps.timezone) })}`,
                    ),
                (error) => log.warn('agent.stream_failed', { reference: c.reference, error }),
            );
            const write = stream(
                req,
                res,
                agent,
                () => sameAgent(req, agent) && canSee(agent.account, c),
                (event) => {
                    if (event.type === 'line' && event.reference === c.reference)
                        lines.said(event.entry, event.position);
                    if (event.type === 'changed' && event.case.reference === c.reference) return changed(event.case);
                    return undefined;
                },
            );
            // Subscribed first, then read: a line said in between is in the store or arrives as an event.
            await lines.catchUp();
            const latest = await deps.cases.get(c.reference);
            if (latest) write(changed(latest));
        }),
    );

    // The open queue page's live updates: a case this agent may see arrived or changed (no case details are sent).
    server.get(
        '/agent/queue/events',
        handle(async (req, res) => {
            const agent = await signedIn(req);
            if (!agent) return send(res, 401, messagePage('Signed out', 'Sign in again to carry on.'));
            stream(
                req,
                res,
                agent,
                () => sameAgent(req, agent),
                (event) =>
                    event.type === 'changed' && canSee(agent.account, event.case) ? sse('queue', {}) : undefined,
            );
        }),
    );

    // The insight dashboard, for managers: the report of a period (the last 30 days unless ?from=&to= say). It lives
    // under /agent, where the session cookie is sent; /insight leads there.
    server.get('/insight', (req: restify.Request, res: restify.Response, next: restify.Next) => {
        const query = queryOf(req).toString();
        redirect(res, `/agent/insight${query ? `?${query}` : ''}`);
        next(false);
    });
    server.get(
        '/agent/insight',
        handle(async (req, res) => {
            if (!deps.insightReport) return send(res, 404, messagePage('Not found', 'There is no such page.'));
            const agent = await signedIn(req);
            if (!agent) return redirect(res, '/agent');
            if (agent.account.role !== 'manager') {
                return send(res, 403, messagePage('Managers only', 'Insight is for managers.', frame(agent)));
            }
            const query = queryOf(req);
            const day = (value: string | null, fallback: Date) =>
                value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
                    ? value
                    : fallback.toISOString().slice(0, 10);
            const today = now();
            const to = day(query.get('to'), today);
            const from = day(query.get('from'), new Date(today.getTime() - 29 * 24 * 60 * 60 * 1000));
            const nonce = randomBytes(16).toString('base64');
            res.writeHead(200, {
                ...securityHeaders,
                'content-type': 'text/html; charset=utf-8',
                'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'`,
            });
            res.end(await deps.insightReport(from, to, nonce));
        }),
    );

    return {
        close: () => {
            stopSignal();
            for (const open of [...streams]) open.end();
        },
    };
}
