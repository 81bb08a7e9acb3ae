import { expect } from 'chai';
import { diagnosticsPolicy, takeMessageForBot, teamsTenantId } from '../../../bot/channels/teams';

const tenant = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';

describe('Teams staff diagnostics policy', () => {
    it('allows the listed tenants (in any letter case) on Teams only, or everyone when diagnostics are on', () => {
        const allowed = diagnosticsPolicy([tenant], false);
        expect(allowed({ channelId: 'msteams', conversation: { tenantId: tenant.toLowerCase() } as never })).to.equal(
            true,
        );
        expect(allowed({ channelId: 'msteams', channelData: { tenant: { id: tenant } } })).to.equal(true);
        expect(allowed({ channelId: 'msteams', conversation: { tenantId: 'someone-else' } as never })).to.equal(false);
        expect(allowed({ channelId: 'directline', conversation: { tenantId: tenant } as never })).to.equal(false);
        expect(diagnosticsPolicy([], true)({ channelId: 'directline' })).to.equal(true);
        expect(teamsTenantId({ channelData: { tenant: { id: 42 } } })).to.equal(undefined);
    });

    it('takes every message outside Teams groups', () => {
        const context = { activity: { channelId: 'directline', text: 'hello' } };
        expect(takeMessageForBot(context as never)).to.equal(true);
    });
});
