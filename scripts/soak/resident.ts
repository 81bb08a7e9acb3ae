import type { BotTexts } from './botTexts';
import { between, pick, type Random } from './random';

/** One message from the bot, as a resident reads it: its text and the buttons under it. */
export interface BotReply {
    readonly text: string;
    readonly actions: readonly string[];
}

// What residents type that is not a council question; the bot's own words come from the knowledge.
const greetings = ['hello', 'hi', 'good morning', 'hiya', 'hi there'];
const thanks = ['thanks', 'thank you', 'cheers'];
const goodbyes = ['thanks bye', 'bye', 'thats all thanks'];
const askForPerson = ['can i speak to someone', 'talk to a person', 'I want to speak to a real person'];
// Fake details, in the ranges reserved for drama and documentation: nobody real is named or called.
const fake = { name: 'Sam Soak', phone: '07700 900123', address: '1 Test Street, Anytown AN1 1AA' };

/**
 * A simulated resident: reads the bot's replies and decides what to type next, or to leave. Most ask one to three
 * questions from the evaluation set, answer "Did this answer your question?", sometimes greet, thank, say bye or
 * start again, and leave; one that `capturesCase` asks for a person after an answer and gives fake details to
 * the end, so case capture and the case store are exercised too.
 */
export class Resident {
    private sent = 0;
    private readonly limit: number;
    private leaving = false;
    private answered = false;
    private askedForPerson = false;
    /** True once the bot has given a case reference. */
    caseCreated = false;

    constructor(
        private readonly texts: BotTexts,
        private readonly random: Random,
        readonly capturesCase: boolean,
    ) {
        this.limit = capturesCase ? 20 : between(random, 3, 8);
    }

    /** The next message after these replies (the welcome, or the last turn's), or undefined to leave. */
    next(replies: readonly BotReply[]): string | undefined {
        const message = this.leaving ? undefined : this.decide(replies);
        if (message !== undefined) this.sent += 1;
        return message;
    }

    private decide(replies: readonly BotReply[]): string | undefined {
        const { texts, random } = this;
        const said = replies.map((r) => r.text).join('\n');
        const actions = replies.flatMap((r) => r.actions);
        if (this.askedForPerson) return this.giveDetails(said);
        if (this.sent >= this.limit) return this.leave();
        if (this.sent === 0) return random() < 0.35 ? pick(random, greetings) : this.question();
        if (said.includes(texts.feedbackQuestion)) {
            this.answered = true;
            if (this.capturesCase) {
                this.askedForPerson = true;
                return pick(random, askForPerson);
            }
            const roll = random();
            // Some ignore the question and ask the next thing; most press a button, a few type their answer.
            if (roll < 0.08) return this.question();
            if (roll < 0.6) return texts.feedbackYes;
            if (roll < 0.72) return 'yes thanks';
            return random() < 0.8 ? texts.feedbackNo : 'not really';
        }
        if (said.includes(texts.clarify)) {
            const services = actions.filter((a) => a !== texts.somethingElse);
            const roll = random();
            if (roll < 0.75 && services.length > 0) return pick(random, services);
            if (roll < 0.85) return texts.somethingElse;
            return this.question();
        }
        if (said.includes(texts.feedbackThanks)) {
            const roll = random();
            if (roll < 0.25) return pick(random, thanks);
            if (roll < 0.35) return 'start again';
            if (roll < 0.7) return this.question();
            return this.leave();
        }
        const roll = random();
        if (this.answered && roll < 0.1) return this.leave();
        if (roll < 0.15) return 'help';
        if (roll < 0.2) return 'start again';
        return this.question();
    }

    private question(): string {
        return pick(this.random, this.texts.questions);
    }

    /** Half say goodbye first; the others just close the chat. */
    private leave(): string | undefined {
        this.leaving = true;
        return this.random() < 0.5 ? pick(this.random, goodbyes) : undefined;
    }

    /** Answers case capture's prompts with the fake details, the latest step first. */
    private giveDetails(said: string): string | undefined {
        const p = this.texts.casePrompts;
        if (said.includes(p.received)) {
            this.caseCreated = true;
            return this.leave();
        }
        if (said.includes(p.confirmQuestion)) return p.confirm;
        if (said.includes(p.askConsent)) return p.consentYes;
        if (said.includes(p.askAddress)) return fake.address;
        if (said.includes(p.askPhone) || said.includes(p.invalidPhone)) return fake.phone;
        if (said.includes(p.askEmail)) return 'sam.soak@example.com';
        if (said.includes(p.askFallback) || said.includes(p.askContactMethod)) return p.phoneMethod;
        if (said.includes(p.askName)) return fake.name;
        // Not a prompt this resident knows: leave rather than type into the unknown.
        return this.leave();
    }
}
