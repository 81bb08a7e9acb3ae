import fs from 'node:fs';
import type { KnowledgeSource } from '../dialogs/dialogContext';
import { KnowledgeEngine } from '../knowledge/engine';
import { KnowledgeError, formatProblem } from '../knowledge/errors';
import { loadKnowledge } from '../knowledge/loader';
import type { Config } from './config';
import { ConfigError } from './config';
import { resolveDeliveryTargets, type DeliveryTarget } from './handoff/deliveryTargets';
import type { Logger } from './logger';

/** What a reload did: swapped in the new knowledge, or kept the old and says why. */
export type ReloadResult =
    | { readonly status: 'reloaded'; readonly services: number }
    | { readonly status: 'kept'; readonly problems: readonly string[] };

/** How long the folder must be quiet after a change before it is read (an editor saves in several writes). */
const settleMs = 500;

/**
 * The knowledge the service answers from, reloadable while it runs. A reload reads and checks the whole folder
 * first (and that every team's delivery still has its secrets); only then does it swap, so an invalid change
 * keeps the last good knowledge serving and reports the located problems. A turn keeps the version it started
 * with (`engineFor` caches it on the turn), so turns in flight finish on the old one.
 */
export class LiveKnowledge implements KnowledgeSource {
    private engine: KnowledgeEngine;
    private targets: ReadonlyMap<string, DeliveryTarget>;

    /** Loads the folder; throws `KnowledgeError` or `ConfigError` (a team's delivery lacks its secret). */
    constructor(
        private readonly dir: string,
        private readonly delivery: Config['delivery'],
        private readonly log: Logger,
    ) {
        this.engine = new KnowledgeEngine(loadKnowledge(dir));
        this.targets = resolveDeliveryTargets(this.engine.knowledge.council, delivery);
    }

    current(): KnowledgeEngine {
        return this.engine;
    }

    /** Every team's delivery settings in the current knowledge. */
    deliveryTargets(): ReadonlyMap<string, DeliveryTarget> {
        return this.targets;
    }

    reload(): ReloadResult {
        let engine: KnowledgeEngine;
        let targets: ReadonlyMap<string, DeliveryTarget>;
        try {
            engine = new KnowledgeEngine(loadKnowledge(this.dir));
            targets = resolveDeliveryTargets(engine.knowledge.council, this.delivery);
        } catch (error) {
            const problems =
                error instanceof KnowledgeError
                    ? error.problems.map(formatProblem)
                    : [error instanceof ConfigError ? error.message : String(error)];
            this.log.error('knowledge.reload_failed', { problems });
            return { status: 'kept', problems };
        }
        this.engine = engine;
        this.targets = targets;
        const services = engine.knowledge.services.length;
        this.log.info('knowledge.reloaded', { services });
        return { status: 'reloaded', services };
    }

    /** Reloads whenever a file in the folder changes (once it settles); returns how to stop. */
    watch(onReload: (result: ReloadResult) => void = () => undefined): () => void {
        let timer: NodeJS.Timeout | undefined;
        let watcher: fs.FSWatcher;
        try {
            watcher = fs.watch(this.dir, { recursive: true }, () => {
                clearTimeout(timer);
                timer = setTimeout(() => onReload(this.reload()), settleMs);
                timer.unref();
            });
        } catch (error) {
            this.log.warn('knowledge.watch_failed', { error });
            return () => undefined;
        }
        watcher.on('error', (error) => this.log.warn('knowledge.watch_failed', { error }));
        return () => {
            clearTimeout(timer);
            watcher.close();
        };
    }
}
