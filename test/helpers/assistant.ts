import { ConversationState, MemoryStorage } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { ConversationFacts } from '../../dialogs/conversationFacts';
import type { AssistantDependencies } from '../../dialogs/dialogContext';
import { RootDialog } from '../../dialogs/rootDialog';
import type { TurnDecision } from '../../dialogs/turnObserver';
import { KnowledgeEngine } from '../../knowledge/engine';
import { loadKnowledge } from '../../knowledge/loader';
import { projectRoot } from '../../bot/config';
import path from 'node:path';
import { TranscriptRecorder } from '../../bot/transcriptRecorder';
import { capturedLogger } from './capturedLogger';
import { CaseEvents } from '../../bot/liveChat/caseEvents';
import { MemoryCaseStore } from './memoryCaseStore';

let sample: KnowledgeEngine | undefined;

/** The sample council's knowledge, compiled once for the whole test run. */
export function sampleEngine(): KnowledgeEngine {
    sample ??= new KnowledgeEngine(loadKnowledge(path.join(projectRoot, 'knowledge', 'sample')));
    return sample;
}

/** A Monday at 10:00 in London, when the council is open. */
export const mondayMorning = new Date('2026-11-23T10:00:00Z');
/** A Saturday evening, when the council is closed. */
export const saturdayEvening = new Date('2026-11-28T19:00:00Z');

/** A root dialog under `DialogTestClient`, with the decisions it reports. */
export function rootDialogClient(
    options: { now?: Date; maxMessageLength?: number; handoffEventChannels?: readonly string[] } = {},
) {
    const conversationState = new ConversationState(new MemoryStorage());
    const decisions: TurnDecision[] = [];
    const cases = new MemoryCaseStore();
    const { log, lines: logLines } = capturedLogger();
    const caseEvents = new CaseEvents(log);
    const deps: AssistantDependencies = {
        knowledge: { current: sampleEngine },
        facts: conversationState.createProperty<ConversationFacts>('facts'),
        observer: { decided: (_context, decision) => void decisions.push(decision) },
        cases,
        caseEvents,
        handoffEventChannels: new Set(options.handoffEventChannels ?? []),
        log,
        maxMessageLength: options.maxMessageLength ?? 1000,
        now: () => options.now ?? mondayMorning,
    };
    const recorder = new TranscriptRecorder(deps.facts, deps.now);
    const client = new DialogTestClient(
        'test',
        new RootDialog(deps),
        undefined,
        [
            {
                onTurn: async (context, next) => {
                    await recorder.recordIncoming(context);
                    context.onSendActivities(async (_context, activities, send) => {
                        await recorder.recordReplies(context, activities);
                        return send();
                    });
                    await next();
                },
            },
        ],
        conversationState,
    );
    return { client, decisions, cases, caseEvents, logLines };
}

/** The titles of a reply's suggested actions. */
export function actionTitles(reply: { suggestedActions?: { actions: { title?: string }[] } } | undefined): string[] {
    return reply?.suggestedActions?.actions.map((a) => a.title ?? '') ?? [];
}

/** A reply as the tests read it. */
export interface Reply {
    text?: string;
    suggestedActions?: { actions: { title?: string }[] };
}

/** Sends a message and returns every reply of that turn (earlier unread replies are discarded first). */
export async function turn(client: DialogTestClient, activity: Parameters<DialogTestClient['sendActivity']>[0]) {
    while (client.getNextReply()) {
        // Drain replies of earlier turns.
    }
    const replies = [await client.sendActivity(activity)];
    for (let next = client.getNextReply(); next; next = client.getNextReply()) replies.push(next);
    // Typed as at least three replies: a missing one makes the test fail on use, which is the point.
    return replies.filter(Boolean) as [Reply, Reply, Reply, ...Reply[]];
}
