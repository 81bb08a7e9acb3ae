import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../bot/config';
import {
    deliveryTransportsFor,
    resolveDeliveryTargets,
    webhookSecretVariable,
} from '../../../bot/handoff/deliveryTargets';
import { KnowledgeCopy } from '../../knowledge/knowledgeFixture';

const wasteTeam = '{ id: waste, name: Waste and Recycling, queue: waste, email: waste@anytown.gov.uk';

/** The sample knowledge with a `delivery` (YAML flow mapping) given to the waste team. */
function knowledgeWith(delivery: string) {
    const copy = new KnowledgeCopy();
    try {
        copy.replace('council.yaml', `${wasteTeam} }`, `${wasteTeam}, delivery: ${delivery} }`);
        return copy.load();
    } finally {
        copy.dispose();
    }
}

const smtp = { SMTP_URL: 'smtp://user:password@127.0.0.1:2525', SMTP_FROM: 'Assistant <assistant@anytown.gov.uk>' };

describe('delivery settings', () => {
    it('reads a team webhook and email from council.yaml, and the secret from the environment', () => {
        const { council } = knowledgeWith(
            '{ webhook: { url: "https://crm.anytown.gov.uk/api/cases" }, email: { to: waste.cases@anytown.gov.uk } }',
        );
        expect(deliveryTransportsFor(council, 'waste')).to.deep.equal(['webhook', 'email']);
        expect(deliveryTransportsFor(council, 'housing-options')).to.deep.equal([]);
        expect(deliveryTransportsFor(council, 'no-such-team')).to.deep.equal([]);
        const targets = resolveDeliveryTargets(
            council,
            loadConfig({ ...smtp, WEBHOOK_SECRET_WASTE: 'waste-secret-0123456789', WEBHOOK_SECRET: 'x'.repeat(16) })
                .delivery,
        );
        expect([...targets.keys()]).to.deep.equal(['waste']);
        expect(targets.get('waste')).to.deep.equal({
            team: 'waste',
            teamName: 'Waste and Recycling',
            webhook: { url: 'https://crm.anytown.gov.uk/api/cases', secret: 'waste-secret-0123456789' },
            email: { to: 'waste.cases@anytown.gov.uk' },
        });
    });

    it('falls back to WEBHOOK_SECRET for a team without a secret of its own', () => {
        const { council } = knowledgeWith('{ webhook: { url: "http://crm.internal/cases" } }');
        const targets = resolveDeliveryTargets(
            council,
            loadConfig({ WEBHOOK_SECRET: 'shared-secret-0123456789' }).delivery,
        );
        expect(targets.get('waste')?.webhook?.secret).to.equal('shared-secret-0123456789');
    });

    it('names the missing variables: the team webhook secret, and SMTP settings for email', () => {
        const { council } = knowledgeWith(
            '{ webhook: { url: "https://crm.anytown.gov.uk/api/cases" }, email: { to: waste.cases@anytown.gov.uk } }',
        );
        expect(() => resolveDeliveryTargets(council, loadConfig({}).delivery))
            .to.throw(ConfigError)
            .with.property('message')
            .that.matches(/WEBHOOK_SECRET_WASTE: required, because team "waste" has a webhook/)
            .and.matches(/SMTP_URL: required, because team "waste" has email delivery in council.yaml/)
            .and.matches(/SMTP_FROM: required/);
        expect(webhookSecretVariable('housing-options')).to.equal('WEBHOOK_SECRET_HOUSING_OPTIONS');
    });

    it('needs nothing when no team has a delivery (the shipped sample)', () => {
        const copy = new KnowledgeCopy();
        try {
            expect(resolveDeliveryTargets(copy.load().council, loadConfig({}).delivery).size).to.equal(0);
        } finally {
            copy.dispose();
        }
    });

    it('refuses a webhook URL that is not http(s), an invalid address and an unknown key, naming the field', () => {
        const problems = (delivery: string) => {
            try {
                knowledgeWith(delivery);
            } catch (error) {
                return String((error as Error).message);
            }
            return 'loaded';
        };
        expect(problems('{ webhook: { url: "ftp://crm.anytown.gov.uk/" } }')).to.match(
            /teams\[1\]\.delivery\.webhook\.url: expected an http\(s\) URL/,
        );
        expect(problems('{ email: { to: not-an-address } }')).to.match(
            /teams\[1\]\.delivery\.email\.to: expected an email address/,
        );
        expect(problems('{ sms: { to: "01632 960000" } }')).to.match(/teams\[1\]\.delivery/);
        expect(problems('{ webhook: { url: "https://crm.anytown.gov.uk/", secret: "in-yaml" } }')).to.match(
            /teams\[1\]\.delivery\.webhook/,
        );
    });
});
