import { messageActivity } from './server';

/** A response from the agent console, its body read as text. */
export interface ConsoleResponse {
    readonly status: number;
    readonly text: string;
    readonly headers: Headers;
}

/** A browser stand-in for the agent console: keeps cookies, reads the CSRF token of the last page, never follows redirects. */
export class AgentClient {
    readonly cookies = new Map<string, string>();
    private lastCsrf = '';

    constructor(private readonly baseUrl: string) {}

    /** The CSRF token in the last page's forms. */
    get csrf(): string {
        return this.lastCsrf;
    }

    async get(path: string): Promise<ConsoleResponse> {
        return this.request(path, { method: 'GET' });
    }

    /** Posts a form; `csrf: true` adds the token from the last page. */
    async post(path: string, form: Record<string, string>, options: { csrf?: boolean } = {}) {
        const fields = options.csrf === false ? form : { csrf: this.lastCsrf, ...form };
        return this.request(path, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(fields).toString(),
        });
    }

    /** Opens the sign-in page and signs in; the response is the sign-in post's. */
    async signIn(username: string, password: string): Promise<ConsoleResponse> {
        await this.get('/agent');
        return this.post('/agent/sign-in', { username, password });
    }

    private async request(path: string, init: RequestInit): Promise<ConsoleResponse> {
        const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
        const response = await fetch(`${this.baseUrl}${path}`, {
            ...init,
            redirect: 'manual',
            headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
        });
        for (const line of response.headers.getSetCookie()) {
            const [pair = ''] = line.split(';');
            const at = pair.indexOf('=');
            const name = pair.slice(0, at);
            if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
            else this.cookies.set(name, pair.slice(at + 1));
        }
        const text = await response.text();
        const token = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
        if (token) this.lastCsrf = token;
        return { status: response.status, text, headers: response.headers };
    }
}

/** Sends a resident's message to the running bot (expectReplies); the replies' texts, a line each. */
export async function say(url: string, conversationId: string, text: string): Promise<string> {
    const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(text, conversationId)),
    });
    const body = (await response.json()) as { activities?: { text?: string }[] };
    return (body.activities ?? []).map((a) => a.text ?? '').join('\n');
}

/**
 * Asks the running bot for a person and gives the details, as a resident would; returns the case reference.
 * `opening` picks the service (and so the team): "can i speak to someone" goes to the default team.
 */
export async function createCaseThroughBot(url: string, conversationId: string, name: string): Promise<string> {
    await say(url, conversationId, 'can i speak to someone');
    await say(url, conversationId, name);
    await say(url, conversationId, 'Phone');
    await say(url, conversationId, '07700900123');
    await say(url, conversationId, 'Yes, share them');
    const received = await say(url, conversationId, 'Yes, send it');
    const reference = /ATB-[0-9A-Z]{5}/.exec(received)?.[0];
    if (!reference) throw new Error(`no reference in: ${received}`);
    return reference;
}
