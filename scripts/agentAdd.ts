/**
 * Adds an agent account to AGENTS_FILE (default ./agents.json), or changes one's name, team, role and password
 * (which ends the account's sessions, on every instance):
 *   npm run agent:add -- <username> "<Full Name>" [--team <team id>] [--role manager]
 * The password is read from standard input (typed, or piped: `printf 'secret\n' | npm run agent:add -- …`).
 */
import 'dotenv/config';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
    AgentsFileError,
    isValidUsername,
    readAgentsFile,
    writeAgentsFile,
    type AgentAccount,
} from '../bot/agentConsole/agentDirectory';
import { hashPassword } from '../bot/agentConsole/passwordHash';
import { ConfigError, loadConfig } from '../bot/config';
import { loadKnowledge } from '../knowledge/loader';

const minimumPasswordLength = 12;
const usage = 'Usage: npm run agent:add -- <username> "<Full Name>" [--team <team id>] [--role agent|manager]';

class UsageError extends Error {}

async function readPassword(): Promise<string> {
    if (process.stdin.isTTY) process.stderr.write('Password (it will be shown as you type): ');
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) {
        lines.close();
        return line;
    }
    return '';
}

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({
        args: process.argv.slice(2),
        options: { team: { type: 'string' }, role: { type: 'string', default: 'agent' } },
        allowPositionals: true,
    });
    const [username, name] = positionals;
    if (positionals.length !== 2 || !username || !name?.trim()) throw new UsageError(usage);
    if (!isValidUsername(username)) {
        throw new UsageError(`"${username}" is not a valid username: use lower-case letters, digits, . _ @ or -`);
    }
    if (values.role !== 'agent' && values.role !== 'manager') throw new UsageError(`--role: expected agent or manager`);
    const config = loadConfig();
    if (values.team !== undefined) {
        const teams = loadKnowledge(config.knowledgeDir).council.teams.map((t) => t.id);
        if (!teams.includes(values.team)) {
            throw new UsageError(`--team: "${values.team}" is not a team in council.yaml (${teams.join(', ')})`);
        }
    }
    const password = await readPassword();
    if (password.length < minimumPasswordLength) {
        throw new UsageError(`The password must be at least ${minimumPasswordLength} characters.`);
    }
    const file = config.agentConsole.agentsFile;
    const agents = readAgentsFile(file) ?? [];
    const account: AgentAccount = {
        username,
        name: name.trim(),
        passwordHash: await hashPassword(password),
        role: values.role,
        ...(values.team !== undefined ? { team: values.team } : {}),
    };
    const existing = agents.findIndex((a) => a.username === username);
    if (existing >= 0) agents[existing] = account;
    else agents.push(account);
    writeAgentsFile(file, agents);
    // Sessions are bound to the password hash, which is new (a new salt) on every run: the old ones have ended.
    process.stdout.write(
        existing >= 0
            ? `Updated ${username} in ${file}; their sessions have ended, so they sign in again.\n`
            : `Added ${username} in ${file}.\n`,
    );
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        const known = error instanceof UsageError || error instanceof ConfigError || error instanceof AgentsFileError;
        process.stderr.write(`${known ? (error as Error).message : `agent:add failed: ${String(error)}`}\n`);
        process.exit(known ? 2 : 1);
    },
);
