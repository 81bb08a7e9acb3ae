import path from 'node:path';
import { MessageFactory, type Activity } from 'botbuilder';
import type { ConversationFacts } from './conversationFacts';

/**
 * The staff diagnostics for the last routed question (`/why`, for council staff testing in Teams): the words the
 * engine matched on, the decision, the top candidates with their scores and the knowledge file that answered.
 * Staff-facing and in English on purpose: residents never see it.
 */
export function whyReport(decision: ConversationFacts['lastDecision'], knowledgeDir: string): Partial<Activity> {
    if (!decision) return MessageFactory.text('Nothing to explain yet: ask a question first, then type /why.');
    const candidates =
        decision.candidates.length > 0
            ? decision.candidates.map((c) => `${c.service} ${c.score.toFixed(3)}`).join(', ')
            : 'none';
    const lines = [
        '**Why the last answer**',
        '',
        `- Words matched (after normalising): ${decision.words || '(none)'}`,
        `- Decision: ${decision.outcome}${
            decision.followUp ? ` (a follow-up of ${decision.followUp.subject}: ${decision.followUp.rule})` : ''
        }`,
        `- Top candidates: ${candidates}`,
        `- Answered from: ${decision.file ? `${path.relative(knowledgeDir, decision.file)} (${decision.serviceId})` : 'no service'}`,
    ];
    const reply = MessageFactory.text(lines.join('\n'));
    reply.textFormat = 'markdown';
    return reply;
}
