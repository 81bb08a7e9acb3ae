import type { BotTexts } from './botTexts';
import { DirectLineConversation } from './directLineConversation';
import { sleep } from './http';
import { MessagesConversation } from './messagesConversation';
import { between, createRandom } from './random';
import { Resident } from './resident';
import type { SoakConversation } from './soakConversation';
import { SoakFailure, type Tally, type Transport } from './tally';

/** What the load needs. */
export interface LoadSettings {
    readonly baseUrl: string;
    /** Conversations at once. */
    readonly slots: number;
    /** With `both`, even slots go through Direct Line and odd ones through /api/messages. */
    readonly transport: 'both' | 'directline' | 'messages';
    readonly seed: number;
    readonly texts: BotTexts;
    /** The tallies a message sent now counts in (the phase's, and the current progress interval's). */
    readonly tallies: () => readonly Tally[];
    /** True once the load should wind down: no new message is sent after it. */
    readonly stopping: () => boolean;
    /** A resident's pause between reading a reply and sending the next message. */
    readonly thinkMs?: readonly [number, number];
}

// One conversation in forty captures a case: enough to exercise the case store, few enough to stay realistic.
const caseEvery = 40;

/** Keeps `slots` conversations going until `stopping()`, a new one starting as each ends; resolves when all have. */
export async function runLoad(settings: LoadSettings): Promise<void> {
    await Promise.all(Array.from({ length: settings.slots }, (_, slot) => runSlot(settings, slot)));
}

async function runSlot(settings: LoadSettings, slot: number): Promise<void> {
    const { texts, tallies, stopping } = settings;
    const [thinkMin, thinkMax] = settings.thinkMs ?? [300, 1200];
    const transport: Transport =
        settings.transport === 'both'
            ? slot % 2 === 0
                ? 'directLine'
                : 'messages'
            : settings.transport === 'directline'
              ? 'directLine'
              : 'messages';
    // Spread the first conversations over two seconds rather than opening fifty in one instant.
    await sleep((slot * 2000) / settings.slots);
    for (let n = 0; !stopping(); n++) {
        const random = createRandom(settings.seed * 1_000_003 + slot * 10_007 + n);
        const resident = new Resident(texts, random, (slot * 7 + n) % caseEvery === caseEvery - 1);
        const id = `soak-${process.pid}-${slot}-${n}`;
        const conversation: SoakConversation =
            transport === 'directLine'
                ? new DirectLineConversation(settings.baseUrl)
                : new MessagesConversation(settings.baseUrl, id);
        const where = `${transport} conversation ${slot}/${n}`;
        for (const t of tallies()) {
            t.conversationsStarted += 1;
            t.conversationsBy[transport] += 1;
        }
        try {
            let last = { replies: await conversation.open(), counted: tallies() };
            for (;;) {
                await sleep(between(random, thinkMin, thinkMax));
                // Read after the pause: Direct Line adds a turn's later replies while the resident reads the first.
                const replies = [...last.replies];
                for (const t of last.counted) t.botActivities += replies.length;
                if (replies.some((r) => r.text.includes(texts.turnError))) {
                    throw new SoakFailure('bot-apology', 'the bot answered with its error apology');
                }
                if (stopping()) break;
                const text = resident.next(replies);
                if (text === undefined) {
                    for (const t of tallies()) t.conversationsEnded += 1;
                    if (resident.caseCreated) for (const t of tallies()) t.casesCreated += 1;
                    break;
                }
                const counted = tallies();
                for (const t of counted) {
                    t.messages += 1;
                    t.messagesBy[transport] += 1;
                }
                const turn = await conversation.say(text);
                for (const t of counted) t.answered(transport, turn.latencyMs);
                last = { replies: turn.replies, counted };
            }
        } catch (error) {
            for (const t of tallies()) t.fail(error, where);
        } finally {
            conversation.close();
        }
    }
}
