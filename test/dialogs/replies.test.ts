import { expect } from 'chai';
import { escapeMarkdown, unescapeMarkdown } from '../../dialogs/replies';
import { rootDialogClient, turn } from '../helpers/assistant';

describe('markdown escaping', () => {
    it('gives back exactly what was escaped, for any text', () => {
        const alphabet = ['a', ' ', '\\', '`', '*', '_', '[', ']', '(', ')', '<', '>', '~', '|', '\\\\', 'é', '\n'];
        let seed = 7;
        const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
        for (let i = 0; i < 500; i++) {
            const text = Array.from(
                { length: 1 + Math.floor(random() * 20) },
                () => alphabet[Math.floor(random() * alphabet.length)],
            ).join('');
            expect(unescapeMarkdown(escapeMarkdown(text)), JSON.stringify(text)).to.equal(text);
        }
    });

    it("keeps the resident's name as typed in a case's transcript, though Web Chat was sent it escaped", async () => {
        const { client, cases } = rootDialogClient();
        for (const text of [
            'can i speak to someone',
            'Jo <b>*Bloggs*</b>',
            'Phone',
            '07700900123',
            'Yes, share them',
        ]) {
            await turn(client, text);
        }
        await turn(client, 'Yes, send it');
        const [stored] = await cases.queue();
        const summary = stored?.transcript.find((line) => line.text.includes('- Name:'));
        expect(summary?.text).to.contain('- Name: Jo <b>*Bloggs*</b>');
    });
});
