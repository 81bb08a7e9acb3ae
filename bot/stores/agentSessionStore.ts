import type { Database } from './database';
import { PostgresAgentSessionStore } from './postgresAgentSessionStore';
import { SqliteAgentSessionStore } from './sqliteAgentSessionStore';

/**
 * Agents' sign-outs, where every instance reads them (the SQLite file, or PostgreSQL with DATABASE_URL). Each agent
 * has a generation, 0 until they first sign out; a session cookie carries the generation it was issued under, and
 * signing out moves it on, so every session issued before (in any browser, on any instance) is refused. A counter
 * rather than a time: instances' clocks may differ, and a sign-in in the same millisecond as a sign-out is neither.
 */
export interface AgentSessionStore {
    /** The agent's current generation: a session issued under an older one has ended. */
    generation(username: string): Promise<number>;
    /** Ends every session the agent has (`at` is kept for the record); returns the new generation. */
    endSessions(username: string, at: Date): Promise<number>;
    close(): Promise<void>;
}

/** Opens the sign-out record in the database. */
export async function createAgentSessionStore(database: Database): Promise<AgentSessionStore> {
    if (database.kind === 'postgres') return PostgresAgentSessionStore.create(database.pool);
    return new SqliteAgentSessionStore(database.file);
}
