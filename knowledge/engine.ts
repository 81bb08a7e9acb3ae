import type { Knowledge, KnowledgeService } from './loader';
import { englishWords } from './dictionary';
import { allVersions } from './localise';
import { Matcher } from './matcher';
import { Normaliser, normaliseWords, type AnalysedText } from './normaliser';
import { PhraseRules } from './phraseRules';
import { Router, type RouteDecision } from './router';
import type { SafetyRuleDefinition } from './schema';
import { defaultEngineSettings, type EngineSettings } from './settings';
import { Vocabulary } from './vocabulary';

/** A global command a resident can give at any point. */
export type Command = 'help' | 'startAgain' | 'cancel' | 'goodbye';

/** A message that is only conversation, not a question: a greeting or thanks. */
export type SmallTalk = 'greeting' | 'thanks';

/** Words that may go with a greeting or thanks without making the message a question. */
const smallTalkFiller = new Set(['please', 'there', 'all', 'so', 'very', 'much', 'again', 'ok', 'okay', 'oh', 'you']);

/** Everything the engine understood of one message, computed once per turn. */
export interface Understanding {
    readonly text: AnalysedText;
    readonly safety: SafetyRuleDefinition | undefined;
    readonly wantsPerson: boolean;
    readonly command: Command | undefined;
    /** Set when the whole message is a greeting or thanks (thanks wins when it is both: "hi, thanks"). */
    readonly smallTalk: SmallTalk | undefined;
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
    /** The words of the greeting and thanks phrases, as the normaliser gives them. */
    private readonly greetingWords: ReadonlySet<string>;
    private readonly thanksWords: ReadonlySet<string>;
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
        // Residents' other words lead only to the words of what residents say (phrases) and the titles.
        const serviceWords = services.flatMap((s) =>
            [...s.phrases, ...allVersions(s.title)].flatMap((t) => words.get(t) ?? []),
        );
        const vocabulary = new Vocabulary(serviceWords, knowledge.synonyms);
        this.normaliser = new Normaliser([...words.values()].flat(), englishWords(), settings.spelling, vocabulary);
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
        const wordsOf = (phrases: readonly string[]) =>
            new Set(phrases.flatMap((phrase) => this.normaliser.analyse(phrase).sequence));
        this.greetingWords = wordsOf(commandPhrases.greeting);
        this.thanksWords = wordsOf(commandPhrases.thanks);
    }

    /**
     * Small talk: every word of the message belongs to one kind's phrases (or is filler), and at least one word is
     * that kind's. A message with anything else in it ("hi, my bin was missed") is a question.
     */
    private smallTalk(words: readonly string[]): SmallTalk | undefined {
        if (words.length === 0 || words.length > 8) return undefined;
        const { greetingWords: greeting, thanksWords: thanks } = this;
        const known = (w: string) => thanks.has(w) || greeting.has(w) || smallTalkFiller.has(w);
        if (!words.every(known)) return undefined;
        if (words.some((w) => thanks.has(w) && !greeting.has(w))) return 'thanks';
        return words.some((w) => greeting.has(w)) ? 'greeting' : undefined;
    }

    /** Normalises a message and checks it against the safety rules, person requests and commands. */
    understand(message: string): Understanding {
        const text = this.normaliser.analyse(message);
        return {
            text,
            safety: this.safetyRules.find(text),
            wantsPerson: this.personRequests.find(text) === true,
            command: this.commands.find(text),
            smallTalk: this.smallTalk(text.sequence),
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
