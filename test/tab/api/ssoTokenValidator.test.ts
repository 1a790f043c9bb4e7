import { strict as assert } from 'node:assert';
import { UnsecuredJWT } from 'jose';
import { systemClock } from '../../../domain/clock';
import { SsoTokenValidator, type SsoCheck } from '../../../tab/api/ssoTokenValidator';
import { startEntraStandIn, TAB_APP_ID, type EntraStandIn } from '../../support/entraTokens';

const MEGAN = { objectId: 'A1B2C3D4-0002-4000-8000-00000000A002', name: 'Megan Bowen' };
const OTHER_TENANT = '0b7f2c1e-9a4d-4c5b-8e6f-1a2b3c4d5e6f';

describe('SsoTokenValidator: a Teams tab’s single sign-on token', () => {
  let entra: EntraStandIn;
  let validator: SsoTokenValidator;

  beforeEach(async () => {
    entra = await startEntraStandIn();
    validator = new SsoTokenValidator(entra.settings, systemClock);
  });
  afterEach(async () => {
    await entra.stop();
  });

  const bearer = (token: string) => `Bearer ${token}`;
  const refusalOf = (check: SsoCheck) => (check.ok ? 'accepted' : check.refusal);

  it('accepts a token Teams would hand the tab, and names the person by objectId (lower case)', async () => {
    const check = await validator.check(bearer(await entra.token(MEGAN)));
    assert.deepEqual(check, { ok: true, user: { objectId: MEGAN.objectId.toLowerCase(), name: 'Megan Bowen' } });
    assert.equal(entra.keySetFetches(), 1);
    await validator.check(bearer(await entra.token(MEGAN)));
    assert.equal(entra.keySetFetches(), 1, 'the key set is cached');
  });

  it('refuses what is not a bearer token', async () => {
    assert.equal(refusalOf(await validator.check(undefined)), 'missing');
    assert.equal(refusalOf(await validator.check('')), 'missing');
    assert.equal(refusalOf(await validator.check(await entra.token(MEGAN))), 'malformed', 'no "Bearer "');
    assert.equal(refusalOf(await validator.check('Bearer not.a.jwt!')), 'malformed');
    assert.equal(refusalOf(await validator.check('Basic bWVnYW46cGFzc3dvcmQ=')), 'malformed');
  });

  it('refuses a token signed with a key the tenant does not publish, and one with no signature', async () => {
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { forged: true })))), 'bad_signature');
    const unsigned = new UnsecuredJWT({
      aud: entra.settings.audience,
      iss: entra.settings.issuer,
      tid: entra.settings.tenantId,
      oid: MEGAN.objectId,
      scp: 'access_as_user',
    })
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    assert.equal(refusalOf(await validator.check(bearer(unsigned))), 'malformed', 'no signature at all: not even a JWS');
  });

  it('allows five minutes of clock drift past expiry, and no more', async () => {
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { expiresInSeconds: -120 })))), 'accepted');
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { expiresInSeconds: -360 })))), 'expired');
  });

  it('refuses a token not valid yet', async () => {
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { nbf: inAnHour }, expiresInSeconds: 7200 })))), 'not_yet_valid');
  });

  it('refuses a token for another audience: the app id alone (a v2 token), or another app', async () => {
    for (const aud of [TAB_APP_ID, 'api://privacydesk.contoso.com/00000000-0000-0000-0000-000000000001', 'https://graph.microsoft.com']) {
      assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { aud } })))), 'wrong_audience', aud);
    }
  });

  it('refuses a token from another issuer or another tenant', async () => {
    const v2Issuer = `https://login.microsoftonline.com/${entra.settings.tenantId}/v2.0`;
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { iss: v2Issuer } })))), 'wrong_issuer');
    assert.equal(
      refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT } })))),
      'wrong_issuer',
    );
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { tid: OTHER_TENANT } })))), 'wrong_tenant');
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { tid: undefined } })))), 'wrong_tenant');
  });

  it('refuses a token without the tab’s scope (an app-only token has roles, not scp) or without a person', async () => {
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { scp: undefined, roles: ['User.Read.All'] } })))), 'missing_scope');
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { scp: 'User.Read' } })))), 'missing_scope');
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { oid: undefined } })))), 'not_a_person');
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { oid: 'megan' } })))), 'not_a_person');
  });

  it('accepts tokens Teams clients asked for, and refuses one another app in the tenant asked for', async () => {
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { appid: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' } })))), 'accepted');
    assert.equal(
      refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { appid: '00000000-0000-0000-0000-00000000c11e' } })))),
      'wrong_client',
    );
    assert.equal(refusalOf(await validator.check(bearer(await entra.token(MEGAN, { claims: { appid: undefined } })))), 'wrong_client');
  });

  it('says the keys are unavailable, not that the caller is wrong, when the key set cannot be fetched', async () => {
    const token = await entra.token(MEGAN);
    const answersNotFound = new SsoTokenValidator({ ...entra.settings, jwksUrl: `${entra.settings.jwksUrl}-moved` }, systemClock);
    assert.equal(refusalOf(await answersNotFound.check(bearer(token))), 'keys_unavailable', 'a key set answering 404');
    await entra.stop();
    const fresh = new SsoTokenValidator(entra.settings, systemClock);
    assert.equal(refusalOf(await fresh.check(bearer(token))), 'keys_unavailable');
    entra = await startEntraStandIn(); // afterEach stops it
  });
});
