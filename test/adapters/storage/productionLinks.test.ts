// The bot in production mode (JWT validation on) against Azurite over https: the download link a data
// subject receives is https-only (spr=https, no http) and really serves their package.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { RequestState } from '../../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo } from '../../helpers/cardQueries';
import { PERSON, useDesk } from '../../helpers/harness';

const WAIT = { timeoutMs: 20_000 };

describe('download links in production mode are https-only (the bot, Azurite over https)', function () {
  this.timeout(60_000);
  const suite = useDesk();

  it('the subject’s link carries spr=https, never http, and fetching it gives the package', async () => {
    assert.equal(suite.running.config.mode, 'production');
    const { teams, desk } = suite.running;
    await teams.install(PERSON.isaiah);
    await teams.say(PERSON.isaiah, 'export my data gdpr');
    const chat = sentTo(`a:personal-${PERSON.isaiah.objectId}`);
    const ready = await suite.world.connector.waitFor((c) => chat(c) && actionsOf(cardOf(c) ?? {}).some((a) => a.type === 'Action.OpenUrl'), WAIT);
    const link = actionsOf(cardOf(ready)).find((a) => a.type === 'Action.OpenUrl');
    assert.ok(link?.url, 'the card opens a URL');
    const url = new URL(link.url);
    assert.equal(url.protocol, 'https:');
    assert.equal(url.searchParams.get('spr'), 'https', 'https only: the link does not work over http');
    assert.equal(url.searchParams.get('sp'), 'r');

    const request = await eventually(async () => {
      const [mine] = (await desk.store.list({ involving: PERSON.isaiah.objectId })).filter((r) => r.state === RequestState.Delivered);
      return mine;
    }, 'the request to be delivered');
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const zip = Buffer.from(await response.arrayBuffer());
    assert.equal(createHash('sha256').update(zip).digest('hex'), request.package!.sha256);

    // Every other link the bot signs (a reissue, the register) comes from the same store.
    const again = await desk.packages.createReadLink(request.package!.blobName, new Date(Date.now() + 60_000));
    assert.equal(new URL(again.url).searchParams.get('spr'), 'https');
  });
});
