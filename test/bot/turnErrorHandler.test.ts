import { expect } from 'chai';
import { TestAdapter, type TurnContext } from 'botbuilder';
import { createTurnErrorHandler } from '../../bot/turnErrorHandler';
import { capturedLogger } from '../helpers/capturedLogger';
import { Replies } from '../../dialogs/replies';
import { localise } from '../../knowledge/localise';
import { sampleEngine } from '../helpers/assistant';

describe('createTurnErrorHandler', () => {
    it('apologises with the knowledge text, forgets the conversation and logs without personal data', async () => {
        const { log, lines } = capturedLogger('info');
        const forgotten: string[] = [];
        const adapter = new TestAdapter(async () => {
            throw new Error('database said no for jo@example.com at /srv/app/bot.ts:12');
        });
        adapter.onTurnError = createTurnErrorHandler(
            log,
            { forget: async (context: TurnContext) => void forgotten.push(context.activity.conversation.id) },
            () => new Replies(sampleEngine()),
        );

        const council = sampleEngine().knowledge.council;
        const apology = localise(sampleEngine().knowledge.conversation.error).replace('{phone}', council.phone);
        await adapter.send('hello').assertReply(apology);

        expect(forgotten).to.have.length(1);
        const logged = lines.join('\n');
        expect(logged).to.contain('turn.failed');
        expect(logged).to.not.contain('jo@example.com');
    });

    it('still apologises when forgetting the conversation fails too (the database is what failed)', async () => {
        const { log, lines } = capturedLogger('info');
        const adapter = new TestAdapter(async () => {
            throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        });
        adapter.onTurnError = createTurnErrorHandler(
            log,
            {
                forget: async () => {
                    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
                },
            },
            () => new Replies(sampleEngine()),
        );
        const council = sampleEngine().knowledge.council;
        const apology = localise(sampleEngine().knowledge.conversation.error).replace('{phone}', council.phone);
        await adapter.send('hello').assertReply(apology);
        expect(lines.join('\n')).to.contain('turn.forget_failed');
    });
});
