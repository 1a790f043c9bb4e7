import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { InboundPolicy, InboundRefusal, tenantOf } from '../../../bot/http/inboundPolicy';
import { ServiceUrlPolicy } from '../../../bot/proactive/serviceUrlPolicy';

const TENANT = '6e5c5f0a-4d8e-4f53-9a57-7b1b7a1f0d11';
const OTHER = '99999999-9999-4999-8999-999999999999';

function activity(fields: Record<string, unknown> = {}): Activity {
  return {
    type: 'message',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
    conversation: { id: 'a:1', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...fields,
  } as unknown as Activity;
}

describe('InboundPolicy', () => {
  const serviceUrls = new ServiceUrlPolicy(['smba.trafficmanager.net']);
  const production = new InboundPolicy({ allowedChannelIds: ['msteams'], tenantId: TENANT, serviceUrls });

  it('lets Teams activities of the tenant through', () => {
    assert.equal(production.refusal(activity()), undefined);
    assert.equal(production.refusal(activity({ conversation: { id: 'a:1', tenantId: TENANT.toUpperCase() } })), undefined, 'tenant ids compare without case');
  });

  it('refuses other channels, other or missing tenants, and foreign service URLs', () => {
    assert.equal(production.refusal(activity({ channelId: 'webchat' })), InboundRefusal.Channel);
    assert.equal(
      production.refusal(activity({ conversation: { id: 'a:1', tenantId: OTHER }, channelData: { tenant: { id: OTHER } } })),
      InboundRefusal.ForeignTenant,
    );
    assert.equal(production.refusal(activity({ conversation: { id: 'a:1' }, channelData: {} })), InboundRefusal.NoTenant);
    assert.equal(production.refusal(activity({ channelData: { tenant: { id: OTHER } } })), InboundRefusal.NoTenant, 'two tenants that disagree prove nothing');
    assert.equal(production.refusal(activity({ serviceUrl: 'https://attacker.example/' })), InboundRefusal.ServiceUrl);
  });

  it('without a tenant (local mode) does not ask for one', () => {
    const local = new InboundPolicy({ allowedChannelIds: ['msteams'], serviceUrls });
    assert.equal(local.refusal(activity({ conversation: { id: 'a:1' }, channelData: {} })), undefined);
    assert.equal(local.refusal(activity({ channelId: 'webchat' })), InboundRefusal.Channel);
  });

  it('reads the tenant from either place', () => {
    assert.equal(tenantOf(activity({ conversation: { id: 'a:1' } })), TENANT);
    assert.equal(tenantOf(activity({ channelData: undefined })), TENANT);
    assert.equal(tenantOf(activity({ conversation: { id: 'a:1', tenantId: '' }, channelData: { tenant: { id: 5 } } })), undefined);
  });
});
