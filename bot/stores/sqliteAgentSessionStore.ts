import type Database from 'better-sqlite3';
import type { AgentSessionStore } from './agentSessionStore';
import { openSqlite } from './sqliteFile';

/** Agents' sign-outs in the SQLite file (the embedded default, one instance). */
export class SqliteAgentSessionStore implements AgentSessionStore {
    private readonly db: Database.Database;
    private readonly statements;

    constructor(file: string) {
        // FULL: a sign-out must not be undone by a crash just after it.
        this.db = openSqlite(file, { synchronous: 'FULL' });
        this.db.exec(`CREATE TABLE IF NOT EXISTS agent_sessions (
            username TEXT PRIMARY KEY,
            generation INTEGER NOT NULL,
            ended_at TEXT NOT NULL
        )`);
        this.statements = {
            generation: this.db.prepare<[string], { generation: number }>(
                'SELECT generation FROM agent_sessions WHERE username = ?',
            ),
            end: this.db.prepare<[string, string], { generation: number }>(
                `INSERT INTO agent_sessions (username, generation, ended_at) VALUES (?, 1, ?)
                 ON CONFLICT (username) DO UPDATE SET generation = generation + 1, ended_at = excluded.ended_at
                 RETURNING generation`,
            ),
        };
    }

    async generation(username: string): Promise<number> {
        return this.statements.generation.get(username)?.generation ?? 0;
    }

    async endSessions(username: string, at: Date): Promise<number> {
        const row = this.statements.end.get(username, at.toISOString());
        if (!row) throw new Error('agent_sessions: no generation returned');
        return row.generation;
    }

    async close(): Promise<void> {
        if (this.db.open) this.db.close();
    }
}
