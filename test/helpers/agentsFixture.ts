import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentAccount } from '../../bot/agentConsole/agentDirectory';
import { hashPassword } from '../../bot/agentConsole/passwordHash';

/** The password of every test agent. */
export const agentPassword = 'correct horse battery staple';

/** A session secret for tests. */
export const testSessionSecret = 'test-session-secret-0123456789-abcdefghij';

/** An agents file in a temporary folder (cheap hashes, so the suite stays fast); `dispose` removes it. */
export async function writeAgentsFixture(agents: Omit<AgentAccount, 'passwordHash'>[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-'));
    const file = path.join(dir, 'agents.json');
    const accounts = await Promise.all(
        agents.map(async (a) => ({
            ...a,
            passwordHash: await hashPassword(agentPassword, { N: 2 ** 10, r: 8, p: 1 }),
        })),
    );
    fs.writeFileSync(file, JSON.stringify(accounts));
    return { file, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
