import type { Pool } from 'pg';
import type { AgentSessionStore } from './agentSessionStore';
import { migratePostgres } from './postgresMigrations';

/** Agents' sign-outs in PostgreSQL, shared by every instance. */
export class PostgresAgentSessionStore implements AgentSessionStore {
    private constructor(private readonly pool: Pool) {}

    /** Uses the pool it is given (and leaves it open on close); brings the schema up to date. */
    static async create(pool: Pool): Promise<PostgresAgentSessionStore> {
        await migratePostgres(pool);
        return new PostgresAgentSessionStore(pool);
    }

    async generation(username: string): Promise<number> {
        const { rows } = await this.pool.query<{ generation: number }>(
            'SELECT generation FROM agent_sessions WHERE username = $1',
            [username],
        );
        return rows[0]?.generation ?? 0;
    }

    async endSessions(username: string, at: Date): Promise<number> {
        // One statement: two sign-outs at once on two instances each move the generation on.
        const { rows } = await this.pool.query<{ generation: number }>(
            `INSERT INTO agent_sessions (username, generation, ended_at) VALUES ($1, 1, $2)
             ON CONFLICT (username) DO UPDATE SET generation = agent_sessions.generation + 1, ended_at = excluded.ended_at
             RETURNING generation`,
            [username, at],
        );
        const generation = rows[0]?.generation;
        if (generation === undefined) throw new Error('agent_sessions: no generation returned');
        return generation;
    }

    async close(): Promise<void> {
        // The pool is the caller's.
    }
}
