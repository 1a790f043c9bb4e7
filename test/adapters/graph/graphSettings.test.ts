import assert from 'node:assert/strict';
import { DEFAULT_ADMIN_CACHE_TTL_MS } from '../../../adapters/graph/graphAdminPolicy';
import { GraphConfigError } from '../../../adapters/graph/graphCredential';
import { hasGraphSettings, parseGraphSettings } from '../../../adapters/graph/graphSettings';

const CONNECTION = {
  GRAPH_TENANT_ID: '6e1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  GRAPH_CLIENT_ID: 'c0ffee00-1111-4222-8333-444455556666',
  GRAPH_CLIENT_SECRET: 'secret',
};
const GROUP = 'b7c8d9e0-0002-4000-8000-00000000b002';

describe('adapters/graph: graphSettings', function () {
  it('reads the connection with the mailbox, admin group and admin cache TTL', function () {
    const settings = parseGraphSettings({
      ...CONNECTION,
      GRAPH_MAIL_FROM: 'privacy@example.com',
      PRIVACY_ADMIN_GROUP_ID: GROUP,
      PRIVACY_ADMIN_CACHE_SECONDS: '90',
    });
    assert.equal(settings.connection.credential.kind, 'clientSecret');
    assert.equal(settings.mailFrom, 'privacy@example.com');
    assert.equal(settings.adminGroupId, GROUP);
    assert.equal(settings.adminCacheTtlMs, 90_000);
  });

  it('leaves the optional parts out and defaults the TTL', function () {
    const settings = parseGraphSettings({ ...CONNECTION, GRAPH_MAIL_FROM: '' });
    assert.equal('mailFrom' in settings, false);
    assert.equal('adminGroupId' in settings, false);
    assert.equal(settings.adminCacheTtlMs, DEFAULT_ADMIN_CACHE_TTL_MS);
  });

  it('lists connection and feature problems together, each a sentence naming its setting', function () {
    assert.throws(
      () =>
        parseGraphSettings({
          GRAPH_CLIENT_SECRET: 'secret',
          GRAPH_MAIL_FROM: 'privacy',
          PRIVACY_ADMIN_GROUP_ID: 'Privacy Admins',
          PRIVACY_ADMIN_CACHE_SECONDS: '-5',
        }),
      (error: Error) => {
        assert.ok(error instanceof GraphConfigError);
        assert.deepEqual(
          error.problems.map((p) => p.split(' ')[0]),
          ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_MAIL_FROM', 'PRIVACY_ADMIN_GROUP_ID', 'PRIVACY_ADMIN_CACHE_SECONDS'],
        );
        assert.ok(error.problems.every((p) => p.endsWith('.')));
        assert.match(error.problems[4]!, /whole number of seconds from 0 to 86400/);
        return true;
      },
    );
  });

  it('says whether the environment means to use Graph at all', function () {
    assert.equal(hasGraphSettings({}), false);
    assert.equal(hasGraphSettings({ GRAPH_TENANT_ID: ' ' }), false);
    assert.equal(hasGraphSettings({ GRAPH_USE_MANAGED_IDENTITY: 'true' }), true);
  });
});
