/**
 * Validates a knowledge folder the way the service does at start-up:
 *   npm run knowledge:check [dir]
 */
import path from 'node:path';
import { projectRoot } from '../bot/config';
import { KnowledgeEngine } from '../knowledge/engine';
import { KnowledgeError } from '../knowledge/errors';
import { loadKnowledge } from '../knowledge/loader';

const dir = process.argv[2] ?? path.join(projectRoot, 'knowledge', 'sample');
try {
    const engine = new KnowledgeEngine(loadKnowledge(dir));
    const { services, safetyRules } = engine.knowledge;
    const phrases = services.reduce((n, s) => n + s.phrases.length, 0);
    process.stdout.write(
        `${dir}: valid — ${services.length} services, ${phrases} phrases, ${safetyRules.length} safety rules\n`,
    );
} catch (error) {
    process.stderr.write(`${error instanceof KnowledgeError ? error.message : String(error)}\n`);
    process.exit(1);
}
