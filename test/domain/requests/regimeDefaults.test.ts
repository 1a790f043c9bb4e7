import assert from 'node:assert/strict';
import { RefusalCode } from '../../../domain/refusal';
import { AuditEventType } from '../../../domain/requests/auditEvent';
import { defaultRegimeFor, parseRegimeByLocation, type RegimeDefaults } from '../../../domain/requests/regimeDefaults';
import { RequestService } from '../../../domain/requests/requestService';
import { domainFixture, PEOPLE } from '../../helpers/domainFixture';

function defaults(map: string, tenantDefault: RegimeDefaults['tenantDefault'] = 'gdpr'): RegimeDefaults {
  const parsed = parseRegimeByLocation(map);
  if (!parsed.ok) throw new Error(parsed.problem);
  return { tenantDefault, byLocation: parsed.byLocation };
}

describe('the law "export my data" offers first', () => {
  const map = defaults('US-CA:ccpa, US-California:ccpa; FR:gdpr, US:gdpr');

  it('the country and region entry wins over the country entry, which wins over the tenant default', () => {
    assert.equal(defaultRegimeFor({ usageLocation: 'US', state: 'CA' }, map), 'ccpa');
    assert.equal(defaultRegimeFor({ usageLocation: 'us', state: ' california ' }, map), 'ccpa', 'the region as the directory holds it, any case');
    assert.equal(defaultRegimeFor({ usageLocation: 'US', state: 'WA' }, defaults('US-CA:ccpa,US:ccpa')), 'ccpa', 'the country entry');
    assert.equal(defaultRegimeFor({ usageLocation: 'US', state: 'WA' }, defaults('US-CA:ccpa')), 'gdpr', 'the tenant default');
    assert.equal(defaultRegimeFor({}, defaults('US-CA:ccpa', 'ccpa')), 'ccpa', 'no location: the tenant default');
  });

  it('the country is the usage location, else the country field when it is a code (free text is not guessed at)', () => {
    assert.equal(defaultRegimeFor({ country: 'US', state: 'CA' }, map), 'ccpa');
    assert.equal(defaultRegimeFor({ country: 'United States', state: 'CA' }, map), 'gdpr');
    assert.equal(defaultRegimeFor({ usageLocation: 'DE', country: 'US', state: 'CA' }, map), 'gdpr', 'the usage location first');
  });

  it('a map that cannot be read says what is wrong', () => {
    assert.deepEqual(parseRegimeByLocation(''), { ok: true, byLocation: new Map() });
    assert.match((parseRegimeByLocation('US-CA=ccpa') as { problem: string }).problem, /"US-CA=ccpa" is not LOCATION:law/);
    assert.match((parseRegimeByLocation('US-CA:pipeda') as { problem: string }).problem, /"pipeda" in "US-CA:pipeda" is not a known law \(gdpr, ccpa\)/);
    assert.match((parseRegimeByLocation('US-CA:ccpa,us-ca:gdpr') as { problem: string }).problem, /US-CA is listed twice/);
    assert.match((parseRegimeByLocation('USA:ccpa') as { problem: string }).problem, /is not LOCATION:law/);
  });
});

describe('RequestService.fileForSelf and selfServiceDefault: the law of a self-service request', () => {
  let f: Awaited<ReturnType<typeof domainFixture>>;
  let requests: RequestService;
  const lynne = { kind: 'user' as const, objectId: 'a1b2c3d4-0006-4000-8000-00000000a006' };

  beforeEach(async () => {
    f = await domainFixture();
    requests = new RequestService({
      store: f.store,
      directory: f.directory,
      admins: { isAdmin: async () => false },
      clock: f.clock,
      timeZone: 'Europe/Berlin',
      filingsPerHour: 3,
      recentWindowDays: 90,
      regimeDefaults: defaults('US-CA:ccpa'),
    });
  });
  afterEach(() => f.close());

  it('files under the law chosen; without one, under the default for the person’s location', async () => {
    assert.equal(await requests.selfServiceDefault(lynne), 'ccpa');
    assert.equal(await requests.selfServiceDefault(PEOPLE.isaiah), 'gdpr');
    assert.equal((await requests.fileForSelf(PEOPLE.isaiah, 'CCPA')).regime, 'ccpa');
    assert.equal((await requests.fileForSelf(lynne)).regime, 'ccpa');
    const filed = (await f.store.auditTrail((await f.store.listBySubject(lynne.objectId))[0]!.id)).find((e) => e.type === AuditEventType.Filed);
    assert.equal(filed?.detail.regime, 'ccpa', 'the law is in the audit trail');
  });

  it('refuses a law it does not know, filing nothing', async () => {
    await assert.rejects(
      requests.fileForSelf(PEOPLE.isaiah, 'lgpd'),
      (e: { code: string; sentence: string }) => e.code === RefusalCode.InvalidInput && e.sentence.endsWith('"lgpd" is neither, so nothing was filed.'),
    );
    assert.deepEqual(await f.store.listBySubject(PEOPLE.isaiah.objectId), []);
  });

  it('refuses before asking someone whose request is still open, and records the refusal on that request', async () => {
    const open = await requests.fileForSelf(PEOPLE.isaiah, 'gdpr');
    await assert.rejects(requests.selfServiceDefault(PEOPLE.isaiah), (e: { code: string }) => e.code === RefusalCode.DuplicateOpenRequest);
    assert.ok((await f.store.auditTrail(open.id)).some((e) => e.type === AuditEventType.Refused && e.detail.code === RefusalCode.DuplicateOpenRequest));
  });
});
