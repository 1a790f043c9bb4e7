import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../app/config';

const ROOT = join(__dirname, '../..');

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, ROOT);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

const PRODUCTION = {
  MicrosoftAppId: '3c5f6a2e-7d1b-4e8f-9a0c-1b2d3e4f5a6b',
  MicrosoftAppPassword: 'secret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: '6e5c5f0a-4d8e-4f53-9a57-7b1b7a1f0d11',
  AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=a2V5;EndpointSuffix=core.windows.net',
  PRIVACY_ADMIN_IDS: 'a1b2c3d4-0001-4000-8000-00000000a001',
  PRIVACY_DESK_DIRECTORY_FILE: 'local/demo/directory.json',
  PRIVACY_DESK_TIME_ZONE: 'America/Los_Angeles',
};

describe('configuration', () => {
  it('with no app id is local mode, on loopback, with embedded defaults', () => {
    const config = loadConfig({}, ROOT);
    assert.equal(config.mode, 'local');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3978);
    assert.equal(config.downloadLinkMs, 7 * 24 * 3600_000);
    assert.equal(config.playground.enabled, true);
    assert.ok(config.allowedServiceUrlHosts.includes('127.0.0.1'));
  });

  it('reads .env.example as it stands: empty settings are unset, so it is local mode on loopback', () => {
    const example = Object.fromEntries(
      readFileSync(join(ROOT, '.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    assert.ok(Object.keys(example).length > 30, 'every setting is documented');
    const config = loadConfig(example, ROOT);
    assert.equal(config.mode, 'local');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.graph, undefined);
  });

  it('refuses to listen beyond loopback without an app id', () => {
    assert.match(problems({ HOST: '0.0.0.0' }).join('\n'), /HOST: without MicrosoftAppId the bot runs in local mode and listens only on loopback/);
    assert.deepEqual(problems({ HOST: '::1' }), []);
  });

  it('in production requires what production needs, and names each missing setting', () => {
    const missing = problems({ MicrosoftAppId: PRODUCTION.MicrosoftAppId });
    for (const setting of ['MicrosoftAppType', 'MicrosoftAppPassword', 'AZURE_STORAGE_CONNECTION_STRING', 'PRIVACY_ADMIN_IDS', 'GRAPH_CLIENT_ID']) {
      assert.ok(
        missing.some((p) => p.startsWith(`${setting}:`)),
        `${setting} is named in ${JSON.stringify(missing)}`,
      );
    }
    const config = loadConfig(PRODUCTION, ROOT);
    assert.equal(config.mode, 'production');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.tenantId, PRODUCTION.MicrosoftAppTenantId);
    assert.ok(!config.allowedServiceUrlHosts.includes('127.0.0.1'), 'production never replies to loopback by default');
    assert.equal(config.playground.enabled, false);
  });

  it('in production refuses storage reached over plain http (download links are https-only), naming the setting', () => {
    const { AZURE_STORAGE_CONNECTION_STRING: _https, ...withoutStorage } = PRODUCTION;
    const key = 'AccountName=contoso;AccountKey=a2V5';
    for (const connectionString of [
      `DefaultEndpointsProtocol=http;${key};EndpointSuffix=core.windows.net`,
      `DefaultEndpointsProtocol=https;${key};BlobEndpoint=http://storage.example.test/contoso`,
      'UseDevelopmentStorage=true',
    ]) {
      const found = problems({ ...withoutStorage, AZURE_STORAGE_CONNECTION_STRING: connectionString });
      assert.deepEqual(
        found,
        [
          'AZURE_STORAGE_CONNECTION_STRING: must reach Azure Storage over https in production, where download links are https-only: use DefaultEndpointsProtocol=https or an https:// BlobEndpoint (plain http and UseDevelopmentStorage=true are for local mode)',
        ],
        connectionString,
      );
      assert.ok(!found.join('\n').includes('a2V5'), 'the account key is never repeated');
    }
    assert.deepEqual(problems({ ...withoutStorage, AZURE_STORAGE_ACCOUNT_URL: 'http://contoso.blob.core.windows.net' }), [
      'AZURE_STORAGE_ACCOUNT_URL: must start with https:// in production, where download links are https-only',
    ]);
    assert.deepEqual(problems({ ...withoutStorage, AZURE_STORAGE_ACCOUNT_URL: 'https://contoso.blob.core.windows.net' }), []);
    assert.deepEqual(
      problems({
        ...withoutStorage,
        AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;${key};BlobEndpoint=https://storage.example.test/contoso`,
      }),
      [],
      'an https BlobEndpoint is what the SDK uses',
    );
    // Local mode keeps its plain-http Azurite.
    assert.deepEqual(problems({ AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }), []);
  });

  it('passes botbuilder’s own settings through unchanged', () => {
    const config = loadConfig({ ...PRODUCTION, ToBotFromChannelOpenIdMetadataUrl: 'https://example.test/openid', CallerId: 'urn:botframework:azure' }, ROOT);
    assert.equal(config.botFramework.ToBotFromChannelOpenIdMetadataUrl, 'https://example.test/openid');
    assert.equal(config.botFramework.CallerId, 'urn:botframework:azure');
    assert.equal(config.botFramework.MicrosoftAppPassword, 'secret');
  });

  it('in production serves one tenant, whatever the app type, and only Teams unless told otherwise', () => {
    const { MicrosoftAppTenantId: _omitted, ...withoutTenant } = PRODUCTION;
    for (const MicrosoftAppType of ['SingleTenant', 'MultiTenant', 'UserAssignedMSI']) {
      assert.ok(
        problems({ ...withoutTenant, MicrosoftAppType }).some((p) =>
          p.startsWith('MicrosoftAppTenantId: is required with MicrosoftAppId: the Entra tenant Privacy Desk serves'),
        ),
        MicrosoftAppType,
      );
    }
    assert.deepEqual(loadConfig(PRODUCTION, ROOT).allowedChannelIds, ['msteams']);
    assert.deepEqual(loadConfig({}, ROOT).allowedChannelIds, ['msteams'], 'the Playground speaks as Teams too');
    assert.deepEqual(loadConfig({ ...PRODUCTION, ALLOWED_CHANNEL_IDS: 'msteams, webchat' }, ROOT).allowedChannelIds, ['msteams', 'webchat']);
  });

  describe('the Teams tab’s sign-in (issue 15)', () => {
    it('in production expects tokens for api://<public host>/<app id> from the bot’s tenant, signed by its Entra keys', () => {
      assert.deepEqual(loadConfig({ ...PRODUCTION, BOT_PUBLIC_HOSTNAME: 'privacydesk.contoso.com' }, ROOT).tabSso, {
        tenantId: PRODUCTION.MicrosoftAppTenantId,
        audience: `api://privacydesk.contoso.com/${PRODUCTION.MicrosoftAppId}`,
        issuer: `https://sts.windows.net/${PRODUCTION.MicrosoftAppTenantId}/`,
        jwksUrl: `https://login.microsoftonline.com/${PRODUCTION.MicrosoftAppTenantId}/discovery/keys`,
      });
    });

    it('takes another audience, issuer or key set when told', () => {
      const settings = loadConfig(
        {
          ...PRODUCTION,
          TAB_SSO_AUDIENCE: 'api://desk.contoso.com/x',
          TAB_SSO_ISSUER: 'https://issuer.example/',
          TAB_SSO_JWKS_URL: 'https://keys.example/keys',
        },
        ROOT,
      ).tabSso;
      assert.deepEqual(
        [settings?.audience, settings?.issuer, settings?.jwksUrl],
        ['api://desk.contoso.com/x', 'https://issuer.example/', 'https://keys.example/keys'],
      );
    });

    it('is off without a public host name, and always in local mode', () => {
      assert.equal(loadConfig(PRODUCTION, ROOT).tabSso, undefined);
      assert.equal(loadConfig({ ...PRODUCTION, BOT_PUBLIC_HOSTNAME: '' }, ROOT).tabSso, undefined);
      assert.equal(loadConfig({ BOT_PUBLIC_HOSTNAME: 'privacydesk.contoso.com' }, ROOT).tabSso, undefined);
    });

    it('fetches the keys over https only, except from this machine', () => {
      assert.ok(
        problems({ ...PRODUCTION, BOT_PUBLIC_HOSTNAME: 'privacydesk.contoso.com', TAB_SSO_JWKS_URL: 'http://keys.example/keys' }).some((p) =>
          p.startsWith('TAB_SSO_JWKS_URL: must be an https URL'),
        ),
      );
      assert.equal(
        loadConfig({ ...PRODUCTION, BOT_PUBLIC_HOSTNAME: 'privacydesk.contoso.com', TAB_SSO_JWKS_URL: 'http://127.0.0.1:9/keys' }, ROOT).tabSso?.jwksUrl,
        'http://127.0.0.1:9/keys',
      );
    });

    it('refuses a public host name that is a URL, naming the setting', () => {
      assert.ok(
        problems({ ...PRODUCTION, BOT_PUBLIC_HOSTNAME: 'https://privacydesk.contoso.com/' }).some((p) =>
          p.startsWith('BOT_PUBLIC_HOSTNAME: must be the bot’s public host name only'),
        ),
      );
    });
  });

  describe('the tenant’s time zone (issue 12.7)', () => {
    it('production refuses to start without one, saying why', () => {
      const { PRIVACY_DESK_TIME_ZONE: _zone, ...withoutZone } = PRODUCTION;
      assert.deepEqual(problems(withoutZone), [
        'PRIVACY_DESK_TIME_ZONE: is required in production: the tenant’s IANA time zone (e.g. Europe/Berlin, America/Los_Angeles). Every "today" and due date is read in it, and a wrong zone moves deadlines by a day',
      ]);
      const config = loadConfig(PRODUCTION, ROOT);
      assert.deepEqual({ zone: config.timeZone, source: config.timeZoneSource }, { zone: 'America/Los_Angeles', source: 'setting' });
    });

    it('local mode falls back to UTC and knows it did, so it can say so', () => {
      const config = loadConfig({}, ROOT);
      assert.deepEqual({ zone: config.timeZone, source: config.timeZoneSource }, { zone: 'UTC', source: 'default' });
      assert.equal(loadConfig({ PRIVACY_DESK_TIME_ZONE: 'Europe/Berlin' }, ROOT).timeZoneSource, 'setting');
    });
  });

  describe('working days and received dates (issue 12.5, 12.6)', () => {
    it('defaults: the rule on for the GDPR, off for the CCPA, Saturday and Sunday off, the demo holidays, a 90-day bound', () => {
      const config = loadConfig({}, ROOT);
      assert.deepEqual(config.workingDays, {
        appliesTo: { gdpr: true, ccpa: false },
        holidaysFile: join(ROOT, 'config/holidays.json'),
        weekend: ['sat', 'sun'],
      });
      assert.equal(config.receivedDateMaxAgeDays, 90);
    });

    it('reads each setting', () => {
      const config = loadConfig(
        {
          WORKING_DAYS_RULE_GDPR: 'off',
          WORKING_DAYS_RULE_CCPA: 'on',
          WEEKEND_DAYS: 'Fri, Saturday',
          PRIVACY_DESK_HOLIDAYS_FILE: 'tenant/holidays.json',
          RECEIVED_DATE_MAX_AGE_DAYS: '30',
        },
        ROOT,
      );
      assert.deepEqual(config.workingDays, {
        appliesTo: { gdpr: false, ccpa: true },
        holidaysFile: join(ROOT, 'tenant/holidays.json'),
        weekend: ['fri', 'sat'],
      });
      assert.equal(config.receivedDateMaxAgeDays, 30);
    });

    it('explains bad values', () => {
      assert.deepEqual(problems({ WEEKEND_DAYS: 'sat,someday' }), ['WEEKEND_DAYS: must be days of the week, comma-separated, e.g. sat,sun']);
      assert.deepEqual(problems({ WEEKEND_DAYS: 'mon,tue,wed,thu,fri,sat,sun' }), ['WEEKEND_DAYS: cannot be every day of the week']);
      assert.match(problems({ WORKING_DAYS_RULE_GDPR: 'perhaps' }).join(' '), /^WORKING_DAYS_RULE_GDPR: /);
      assert.deepEqual(problems({ RECEIVED_DATE_MAX_AGE_DAYS: '0' }), ['RECEIVED_DATE_MAX_AGE_DAYS: must be at least 1']);
    });
  });

  describe('the law "export my data" offers first (issue 12.4, decision 0019)', () => {
    it('GDPR for everyone unless configured; a location map and a tenant default are read', () => {
      assert.deepEqual(loadConfig({}, ROOT).regimeDefaults, { tenantDefault: 'gdpr', byLocation: new Map() });
      const config = loadConfig({ DEFAULT_REGIME: 'CCPA', REGIME_BY_LOCATION: 'US-CA:ccpa,DE:gdpr' }, ROOT);
      assert.deepEqual(config.regimeDefaults, {
        tenantDefault: 'ccpa',
        byLocation: new Map([
          ['US-CA', 'ccpa'],
          ['DE', 'gdpr'],
        ]),
      });
    });

    it('refuses a law it does not know and a map it cannot read', () => {
      const found = problems({ DEFAULT_REGIME: 'lgpd', REGIME_BY_LOCATION: 'US-CA=ccpa' });
      assert.ok(found.includes('DEFAULT_REGIME: must be gdpr or ccpa'), found.join('\n'));
      assert.ok(
        found.some((p) => p.startsWith('REGIME_BY_LOCATION: "US-CA=ccpa" is not LOCATION:law')),
        found.join('\n'),
      );
    });
  });

  describe('the store: DATABASE_URL (issue 13)', () => {
    const SECRET = 'pa55-w0rd-never-shown';

    it('unset, the store is the SQLite file as before; the shutdown grace defaults to 20 s', () => {
      const config = loadConfig({}, ROOT);
      assert.equal(config.postgres, undefined);
      assert.match(config.dbFile, /\.data\/privacy-desk\.db$/);
      assert.equal(config.shutdownGraceMs, 20_000);
      assert.equal(loadConfig({ SHUTDOWN_GRACE_MS: '5000' }, ROOT).shutdownGraceMs, 5000);
    });

    it('holds a message for its sender 60 s unless told otherwise: how long a dead instance keeps a request’s messages waiting', () => {
      assert.equal(loadConfig({}, ROOT).notificationLeaseMs, 60_000);
      assert.equal(loadConfig({ NOTIFICATION_LEASE_SECONDS: '15' }, ROOT).notificationLeaseMs, 15_000);
      assert.throws(() => loadConfig({ NOTIFICATION_LEASE_SECONDS: '0' }, ROOT), /NOTIFICATION_LEASE_SECONDS/);
    });

    it('set, it is PostgreSQL, signing in with the URL’s password if it has one and with Entra in production if not', () => {
      const withPassword = loadConfig({ ...PRODUCTION, DATABASE_URL: `postgres://desk:${SECRET}@db.example.com/privacy_desk` }, ROOT).postgres;
      assert.deepEqual(withPassword, { url: `postgres://desk:${SECRET}@db.example.com/privacy_desk`, auth: 'password', maxConnections: 10 });
      const passwordless = loadConfig(
        {
          ...PRODUCTION,
          DATABASE_URL: 'postgresql://privacy-desk-identity@contoso.postgres.database.azure.com:5432/privacy_desk',
          DATABASE_MAX_CONNECTIONS: '4',
        },
        ROOT,
      ).postgres;
      assert.equal(passwordless?.auth, 'entra');
      assert.equal(passwordless?.maxConnections, 4);
      assert.equal(
        loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/privacy_desk' }, ROOT).postgres?.auth,
        'password',
        'locally, no password means none (or PGPASSWORD)',
      );
      assert.equal(loadConfig({ DATABASE_URL: 'postgres://me@127.0.0.1/privacy_desk', DATABASE_AUTH: 'entra' }, ROOT).postgres?.auth, 'entra');
    });

    it('refuses a URL that is not PostgreSQL’s, or lacks a host or a database, in a sentence naming the setting and never the password', () => {
      const cases: Array<[string, RegExp]> = [
        [
          `mysql://desk:${SECRET}@db.example.com/privacy_desk`,
          /^DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\/; write it as postgres:\/\/user@host:5432\/database$/,
        ],
        [`desk:${SECRET}@db.example.com`, /^DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\//],
        [`${SECRET}`, /^DATABASE_URL: is not a URL; write it as postgres:\/\/user@host:5432\/database$/],
        [`postgres://desk:${SECRET}@db.example.com`, /^DATABASE_URL: needs a host and a database name, as in postgres:\/\/user@host:5432\/database$/],
        [`postgres:///privacy_desk`, /^DATABASE_URL: needs a host and a database name/],
      ];
      for (const [url, expected] of cases) {
        const found = problems({ DATABASE_URL: url });
        assert.equal(found.length, 1, `${url}: ${found.join('\n')}`);
        assert.match(found[0]!, expected);
        assert.ok(!found[0]!.includes(SECRET), 'the password is never repeated');
      }
    });

    it('refuses TLS switched off to another machine, a password beside Entra, and Entra without a role to sign in as', () => {
      const noTls = problems({ DATABASE_URL: `postgres://desk:${SECRET}@db.example.com/privacy_desk?sslmode=disable` });
      assert.deepEqual(noTls, [
        'DATABASE_URL: asks for no TLS (sslmode=disable) to db.example.com:5432/privacy_desk, which is not on this machine; connections that leave the machine must use TLS, so remove sslmode=disable',
      ]);
      assert.deepEqual(problems({ DATABASE_URL: 'postgres://127.0.0.1/privacy_desk?sslmode=disable' }), [], 'loopback may go without TLS');
      const both = problems({ DATABASE_URL: `postgres://desk:${SECRET}@db.example.com/privacy_desk`, DATABASE_AUTH: 'entra' });
      assert.equal(both.length, 1, both.join('\n'));
      assert.match(both[0]!, /^DATABASE_URL: carries a password, but DATABASE_AUTH=entra signs in with the managed identity’s token/);
      assert.ok(!both[0]!.includes(SECRET));
      assert.deepEqual(problems({ ...PRODUCTION, DATABASE_URL: 'postgres://db.example.com/privacy_desk' }), [
        'DATABASE_URL: needs the PostgreSQL role of the managed identity as its user (postgres://<role>@host:5432/database) to sign in with Entra; or put a password in it',
      ]);
    });

    it('refuses settings that do not go together or are out of range', () => {
      assert.deepEqual(problems({ DATABASE_AUTH: 'entra' }), [
        'DATABASE_AUTH: only applies with DATABASE_URL (PostgreSQL); without it the store is the SQLite file',
      ]);
      assert.deepEqual(problems({ DATABASE_URL: 'postgres://127.0.0.1/privacy_desk', PRIVACY_DESK_DB_FILE: 'x.db' }), [
        'PRIVACY_DESK_DB_FILE: is the SQLite file, which is not used with DATABASE_URL (PostgreSQL): unset one of the two',
      ]);
      assert.deepEqual(
        problems({
          DATABASE_URL: 'postgres://127.0.0.1/privacy_desk',
          DATABASE_AUTH: 'kerberos',
          DATABASE_MAX_CONNECTIONS: '0',
          SHUTDOWN_GRACE_MS: 'soon',
        }).sort(),
        [
          'DATABASE_AUTH: must be password or entra',
          'DATABASE_MAX_CONNECTIONS: must be at least 1',
          'SHUTDOWN_GRACE_MS: must be a whole number from 0 to 600000',
        ],
      );
    });
  });

  it('explains bad values', () => {
    const found = problems({
      PORT: 'eighty',
      PRIVACY_DESK_TIME_ZONE: 'Mars/Olympus',
      PRIVACY_ADMIN_IDS: 'alex',
      DOWNLOAD_LINK_HOURS: '0',
      PACKAGES_CONTAINER: 'Bad_Name',
    });
    assert.equal(found.length, 5, found.join('\n'));
    assert.ok(found.some((p) => /PRIVACY_DESK_TIME_ZONE: must be an IANA time zone/.test(p)));
    assert.ok(found.some((p) => /PRIVACY_ADMIN_IDS.*Entra objectId/.test(p)));
    assert.ok(found.includes('PORT: must be a whole number from 0 to 65535'), found.join('\n'));
    assert.ok(found.includes('DOWNLOAD_LINK_HOURS: must be at least 1'), found.join('\n'));
  });

  it('npm start stops with a readable message and exit code 2 on a bad setting', function () {
    this.timeout(60_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'app/main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '0.0.0.0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /Privacy Desk cannot start: its configuration has a problem/);
    assert.match(run.stderr, /HOST: without MicrosoftAppId/);
    assert.match(run.stderr, /See \.env\.example/);
  });
});
