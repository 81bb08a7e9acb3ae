/** How a soak run is set up, from the command line. */
export interface SoakOptions {
    /** How long the measured load lasts, after the warm-up. */
    readonly minutes: number;
    /** PostgreSQL (a fresh schema on a loopback server) instead of the default SQLite file. */
    readonly postgres: boolean;
    /** Conversations open at once: half through Direct Line, half through /api/messages. */
    readonly conversations: number;
    /** Seeds the residents' choices, so a run can be repeated. */
    readonly seed: number;
    /** Which way residents reach the bot: both (the default, half each), or one, to tell their costs apart. */
    readonly transport: 'both' | 'directline' | 'messages';
    /** For an investigation: a CPU profile of the service and heap snapshots at the start and end of the window. */
    readonly diagnose: boolean;
}

/** The command line is wrong; the message says how to call it. */
export class SoakUsageError extends Error {
    readonly code = 'SOAK_USAGE';
}

/** How to call the soak. */
export const soakUsage = `Usage: npm run soak -- [--minutes 10] [--postgres] [--conversations 50] [--seed 1]
                          [--transport both|directline|messages] [--diagnose]
  --minutes N         measured minutes after a warm-up (default 10; 0.5 for a quick check)
  --postgres          use PostgreSQL (DATABASE_URL, or postgres://127.0.0.1:5432/test) in a fresh schema
  --conversations N   conversations at once, an even number (default 50)
  --seed N            seeds the residents' choices (default 1)
  --transport T       both (default: half Direct Line, half /api/messages), or only one of them
  --diagnose          also write a CPU profile of the service and heap snapshots at the window's start and end
The soak starts its own service on 127.0.0.1 and talks only to it.`;

/** Reads the soak's flags; throws `SoakUsageError` on anything it does not know. */
export function parseSoakArgs(args: readonly string[]): SoakOptions {
    let minutes = 10;
    let postgres = false;
    let conversations = 50;
    let seed = 1;
    let transport: SoakOptions['transport'] = 'both';
    let diagnose = false;
    const number = (flag: string, value: string | undefined, valid: (n: number) => boolean, hint: string) => {
        const n = Number(value);
        if (value === undefined || value.trim() === '' || !Number.isFinite(n) || !valid(n)) {
            throw new SoakUsageError(`${flag}: expected ${hint}\n${soakUsage}`);
        }
        return n;
    };
    for (let i = 0; i < args.length; i++) {
        const arg = args[i] as string;
        const [flag, inline] = arg.includes('=')
            ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
            : [arg];
        const value = () => inline ?? args[++i];
        switch (flag) {
            case '--minutes':
                minutes = number(
                    flag,
                    value(),
                    (n) => n > 0 && n <= 24 * 60,
                    'a number of minutes above 0, at most 1440',
                );
                break;
            case '--postgres':
                postgres = true;
                break;
            case '--conversations':
                conversations = number(
                    flag,
                    value(),
                    (n) => Number.isInteger(n) && n >= 2 && n <= 1000 && n % 2 === 0,
                    'an even whole number from 2 to 1000',
                );
                break;
            case '--seed':
                seed = number(flag, value(), (n) => Number.isInteger(n) && n >= 1, 'a whole number from 1');
                break;
            case '--transport': {
                const given = value();
                if (given !== 'both' && given !== 'directline' && given !== 'messages') {
                    throw new SoakUsageError(`--transport: expected both, directline or messages\n${soakUsage}`);
                }
                transport = given;
                break;
            }
            case '--diagnose':
                diagnose = true;
                break;
            case '--help':
            case '-h':
                throw new SoakUsageError(soakUsage);
            default:
                throw new SoakUsageError(`unknown option ${arg}\n${soakUsage}`);
        }
    }
    return { minutes, postgres, conversations, seed, transport, diagnose };
}

/** True for a host name on this machine's loopback (the only place the soak sends load or opens a database). */
export function isLoopbackHost(hostname: string): boolean {
    const bare = hostname.replace(/^\[|\]$/g, '');
    return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}
