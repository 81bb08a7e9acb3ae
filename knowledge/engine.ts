import type { Knowledge, KnowledgeService } from './loader';
import { englishWords } from './dictionary';
import { allVersions } from './localise';
import { Matcher } from './matcher';
import { Normaliser, normaliseWords, type AnalysedText } from './normaliser';
import { PhraseRules } from './phraseRules';
import { Router, type RouteDecision } from './router';
import type { SafetyRuleDefinition } from './schema';
import { defaultEngineSettings, type EngineSettings } from './settings';

/** A global command a resident can give at any point. */
export type Command = 'help' | 'startAgain' | 'cancel' | 'goodbye';

/** Everything the engine understood of one message, computed once per turn. */
export interface Understanding {
    readonly text: AnalysedText;
    readonly safety: SafetyRuleDefinition | undefined;
    readonly wantsPerson: boolean;
    readonly command: Command | undefined;
}

/**
 * The knowledge compiled for answering: normaliser, safety rules, commands and router. Built once when the
 * knowledge loads; every method is a pure function of the message.
 */
export class KnowledgeEngine {
    readonly normaliser: Normaliser;
    private readonly router: Router;
    private readonly safetyRules: PhraseRules<SafetyRuleDefinition>;
    private readonly personRequests: PhraseRules<true>;
    private readonly commands: PhraseRules<Command>;
    private readonly servicesById: ReadonlyMap<string, KnowledgeService>;

    constructor(
        readonly knowledge: Knowledge,
        readonly settings: EngineSettings = defaultEngineSettings,
    ) {
        const { services, safetyRules, conversation } = knowledge;
        this.servicesById = new Map(services.map((s) => [s.id, s]));
        const commandPhrases = conversation.commands;
        const texts = [
            ...services.flatMap((s) => [...s.phrases, ...allVersions(s.title), ...allVersions(s.answer)]),
            ...safetyRules.flatMap((r) => r.phrases),
            ...Object.values(commandPhrases).flat(),
        ];
        // Normalised once: the vocabulary and the matcher's index both need every text's words.
        const words = new Map(texts.map((t) => [t, normaliseWords(t)]));
        this.normaliser = new Normaliser([...words.values()].flat(), englishWords(), settings.spelling);
        const matcher = new Matcher(
            services,
            this.normaliser,
            settings.matching,
            (t) => words.get(t) ?? normaliseWords(t),
        );
        this.router = new Router(matcher, settings.routing);
        this.safetyRules = new PhraseRules(
            safetyRules.flatMap((rule) => rule.phrases.map((phrase) => ({ phrase, value: rule }))),
            this.normaliser,
            settings.safety,
        );
        this.personRequests = new PhraseRules(
            commandPhrases.person.map((phrase) => ({ phrase, value: true as const })),
            this.normaliser,
            settings.personRequest,
        );
        const commands: Command[] = ['help', 'startAgain', 'cancel', 'goodbye'];
        this.commands = new PhraseRules(
            commands.flatMap((command) => commandPhrases[command].map((phrase) => ({ phrase, value: command }))),
            this.normaliser,
            settings.commands,
        );
    }

    /** Normalises a message and checks it against the safety rules, person requests and commands. */
    understand(message: string): Understanding {
        const text = this.normaliser.analyse(message);
        return {
            text,
            safety: this.safetyRules.find(text),
            wantsPerson: this.personRequests.find(text) === true,
            command: this.commands.find(text),
        };
    }

    /** Chooses between answering, asking which service was meant, and saying it does not know. */
    route(text: AnalysedText): RouteDecision {
        return this.router.route(text);
    }

    service(id: string): KnowledgeService | undefined {
        return this.servicesById.get(id);
    }
}
