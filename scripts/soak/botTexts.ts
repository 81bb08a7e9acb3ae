import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../bot/config';
import { loadKnowledge } from '../../knowledge/loader';
import { localise } from '../../knowledge/localise';
import type { LocalisedText } from '../../knowledge/schema';

/** What the soak's residents recognise in the bot's replies, and the questions they ask. */
export interface BotTexts {
    /** Questions residents asked, from the evaluation set (none that signal risk or ask for a person). */
    readonly questions: readonly string[];
    readonly feedbackQuestion: string;
    readonly feedbackYes: string;
    readonly feedbackNo: string;
    readonly feedbackThanks: string;
    readonly clarify: string;
    readonly somethingElse: string;
    readonly notKnown: readonly string[];
    /** The apology a turn that failed inside the bot ends with: the soak counts it as an error. */
    readonly turnError: string;
    /** Case capture's prompts, in the order they are checked (the latest step first). */
    readonly casePrompts: {
        readonly received: string;
        readonly confirmQuestion: string;
        readonly confirm: string;
        readonly askConsent: string;
        readonly consentYes: string;
        readonly askAddress: string;
        readonly askPhone: string;
        readonly invalidPhone: string;
        readonly askEmail: string;
        readonly askFallback: string;
        readonly askContactMethod: string;
        readonly phoneMethod: string;
        readonly askName: string;
    };
}

/** The fixed part of a text before its first placeholder, which is what a reply can be recognised by. */
const stem = (text: LocalisedText) => localise(text).split('{')[0]?.trim() ?? '';

/** Reads the sample knowledge's own words and the evaluation set's questions. */
export function loadBotTexts(): BotTexts {
    const knowledge = loadKnowledge(path.join(projectRoot, 'knowledge', 'sample'));
    const c = knowledge.conversation;
    const cases = (
        parse(fs.readFileSync(path.join(projectRoot, 'test', 'eval', 'cases.yaml'), 'utf8')) as {
            cases: { text: string; expect: string | string[] }[];
        }
    ).cases;
    return {
        // Urgent messages would open priority handoffs and handoff ones would make cases: residents in a soak do
        // neither (except the few that capture a case on purpose).
        questions: cases.filter((k) => k.expect !== 'urgent' && k.expect !== 'handoff').map((k) => k.text),
        feedbackQuestion: stem(c.feedback.question),
        feedbackYes: localise(c.feedback.yes),
        feedbackNo: localise(c.feedback.no),
        feedbackThanks: stem(c.feedback.thanks),
        clarify: stem(c.clarify),
        somethingElse: localise(c.somethingElse),
        notKnown: [stem(c.notKnown), stem(c.notKnownAgain), stem(c.rephrase)],
        turnError: stem(c.error),
        casePrompts: {
            received: stem(c.case.received),
            confirmQuestion: stem(c.case.confirmQuestion),
            confirm: localise(c.case.confirm),
            askConsent: stem(c.case.askConsent),
            consentYes: localise(c.case.consentYes),
            askAddress: stem(c.case.askAddress),
            askPhone: stem(c.case.askPhone),
            invalidPhone: stem(c.case.invalidPhone),
            askEmail: stem(c.case.askEmail),
            askFallback: stem(c.case.askFallback),
            askContactMethod: stem(c.case.askContactMethod),
            phoneMethod: localise(c.case.methods.phone),
            askName: stem(c.case.askName),
        },
    };
}
