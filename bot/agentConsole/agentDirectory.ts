import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** What an agent may see: an agent their team's queue (every team's without one), a manager every queue. */
export type AgentRole = 'agent' | 'manager';

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

const agentSchema = z
    .object({
        username: z.string().regex(usernamePattern, 'expected lower-case letters, digits, . _ @ or -'),
        name: z.string().trim().min(1).max(100),
        passwordHash: z.string().startsWith('scrypt$', 'expected a hash made by npm run agent:add'),
        role: z.enum(['agent', 'manager']),
        team: z.string().min(1).optional(),
    })
    .strict();

const agentsSchema = z.array(agentSchema);

/** One agent account from the agents file. */
export type AgentAccount = z.infer<typeof agentSchema>;

/** The agents file is malformed; the message names the file and the entry. */
export class AgentsFileError extends Error {
    readonly code = 'AGENTS_FILE_INVALID';
    constructor(message: string) {
        super(message);
        this.name = 'AgentsFileError';
    }
}

/** True when `username` is acceptable as an account name. */
export function isValidUsername(username: string): boolean {
    return usernamePattern.test(username);
}

/** The accounts in an agents file, or undefined when there is no file yet; throws AgentsFileError when malformed. */
export function readAgentsFile(file: string): AgentAccount[] | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new AgentsFileError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = agentsSchema.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AgentsFileError(`${file}: [${issue?.path.join('].') ?? ''} ${issue?.message ?? 'invalid'}`);
    }
    const seen = new Set<string>();
    for (const agent of parsed.data) {
        if (seen.has(agent.username)) throw new AgentsFileError(`${file}: username "${agent.username}" appears twice`);
        seen.add(agent.username);
    }
    return parsed.data;
}

/** Writes the accounts atomically, readable by the file's owner only (it holds password hashes). */
export function writeAgentsFile(file: string, agents: readonly AgentAccount[]): void {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    fs.writeFileSync(temporary, `${JSON.stringify(agents, null, 4)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
}

/** The agent accounts, re-read when the file changes so `npm run agent:add` needs no restart. */
export class AgentDirectory {
    private cached: { mtimeMs: number; agents: AgentAccount[] | undefined } | undefined;

    constructor(private readonly file: string) {}

    /** Every account, or undefined when the file does not exist yet; throws AgentsFileError when malformed. */
    list(): AgentAccount[] | undefined {
        let mtimeMs: number;
        try {
            mtimeMs = fs.statSync(this.file).mtimeMs;
        } catch {
            this.cached = undefined;
            return undefined;
        }
        if (this.cached?.mtimeMs !== mtimeMs) this.cached = { mtimeMs, agents: readAgentsFile(this.file) };
        return this.cached.agents;
    }

    /** The account with this username, if any. */
    find(username: string): AgentAccount | undefined {
        return this.list()?.find((agent) => agent.username === username);
    }
}
