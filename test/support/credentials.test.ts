import assert from 'node:assert/strict';
import { TEST_OUTBOUND_AUTHORIZATION, testCredentialsFactory } from './credentials';

const APP_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const AUDIENCE = 'https://api.botframework.com';
const LOGIN_URL = 'http://127.0.0.1:1/login-not-used';

/** The minimal WebResourceLike the credentials touch: a headers bag with set/get. */
function fakeRequest() {
  const headers = new Map<string, string>();
  return {
    headers: { set: (name: string, value: string) => headers.set(name.toLowerCase(), value) },
    header: (name: string) => headers.get(name.toLowerCase()),
  };
}

describe('test support: testCredentialsFactory', function () {
  it('signs outbound requests with the fixed test bearer token for its own app id', async function () {
    const factory = testCredentialsFactory(APP_ID);
    assert.equal(await factory.isAuthenticationDisabled(), false);
    assert.equal(await factory.isValidAppId(APP_ID), true);
    assert.equal(await factory.isValidAppId('another-app'), false);
    assert.equal(await factory.isValidAppId(''), false);

    const credentials = await factory.createCredentials(APP_ID, AUDIENCE, LOGIN_URL, true);
    const request = fakeRequest();
    await credentials.signRequest(request as never);
    assert.equal(request.header('authorization'), TEST_OUTBOUND_AUTHORIZATION);
    assert.deepEqual(factory.requests, [{ appId: APP_ID, audience: AUDIENCE, loginEndpoint: LOGIN_URL, validateAuthority: true }]);
  });

  it('refuses credentials for another app id, as the real password factory does', async function () {
    await assert.rejects(testCredentialsFactory(APP_ID).createCredentials('another-app', AUDIENCE, LOGIN_URL, true), /no credentials/);
  });

  it('with an empty app id, authentication is disabled and requests go out unsigned', async function () {
    const factory = testCredentialsFactory('');
    assert.equal(await factory.isAuthenticationDisabled(), true);
    assert.equal(await factory.isValidAppId(''), false);
    const credentials = await factory.createCredentials('', AUDIENCE, LOGIN_URL, true);
    const request = fakeRequest();
    await credentials.signRequest(request as never);
    assert.equal(request.header('authorization'), undefined);
  });
});
