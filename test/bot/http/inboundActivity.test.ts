import assert from 'node:assert/strict';
import { checkInboundActivity } from '../../../bot/http/inboundActivity';

const MESSAGE = {
  type: 'message',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/teams/',
  conversation: { id: 'a:1' },
  from: { id: '29:1', aadObjectId: 'x' },
  text: 'help',
};
const CLICK = {
  ...MESSAGE,
  type: 'invoke',
  name: 'adaptiveCard/action',
  text: undefined,
  value: { action: { type: 'Action.Execute', verb: 'request.approve', data: { requestId: 'r' } }, trigger: 'manual' },
};

describe('checkInboundActivity', () => {
  it('accepts a Teams message and a card click, keeping fields it does not check', () => {
    const checked = checkInboundActivity({ ...MESSAGE, locale: 'en-US' });
    assert.ok(checked.ok);
    assert.equal((checked.activity as unknown as { locale: string }).locale, 'en-US');
    assert.ok(checkInboundActivity(CLICK).ok);
    assert.ok(checkInboundActivity({ ...CLICK, name: 'task/fetch', value: 'anything' }).ok, 'other invokes are botbuilder’s to answer');
  });

  it('names the first problem without quoting values', () => {
    const problems: Array<[unknown, RegExp]> = [
      ['text', /^body: invalid_type$/],
      [{ ...MESSAGE, conversation: undefined }, /^conversation: invalid_type$/],
      [{ ...MESSAGE, from: 'Megan' }, /^from: invalid_type$/],
      [{ ...MESSAGE, entities: 'x' }, /^entities: invalid_type$/],
      [{ ...CLICK, value: 'secret' }, /^value body: invalid_type$/],
      [{ ...CLICK, value: { action: null } }, /^value action: invalid_type$/],
      [{ ...CLICK, value: { action: { type: 'Action.Submit', verb: 'v' } } }, /^value action.type: invalid_value$/],
      [{ ...CLICK, value: { action: { type: 'Action.Execute', verb: '' } } }, /^value action.verb: too_small$/],
      [{ ...CLICK, value: { action: { type: 'Action.Execute', verb: 'v', data: ['r'] } } }, /^value action.data: invalid_type$/],
    ];
    for (const [body, expected] of problems) {
      const checked = checkInboundActivity(body);
      assert.ok(!checked.ok, JSON.stringify(body));
      assert.match(checked.problem, expected);
      assert.ok(!checked.problem.includes('secret') && !checked.problem.includes('Megan'));
    }
  });
});
