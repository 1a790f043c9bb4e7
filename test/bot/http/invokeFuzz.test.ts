import assert from 'node:assert/strict';
import { CardVerb } from '../../../cards';
import { PERSON, useDesk } from '../../helpers/harness';

/**
 * Malformed invokes over HTTP with valid tokens: every one gets a 4xx with an error body (or, for an
 * invoke name Privacy Desk does not handle, botbuilder's 501), and nothing changes — no request, no
 * audit event, no message. The payloads are built from a fixed seed, so a failure reproduces.
 */
describe('malformed invokes (fuzz over HTTP)', function () {
  this.timeout(120_000);
  const suite = useDesk();
  const MINIMUM_PAYLOADS = 300;

  /** A small deterministic PRNG (mulberry32): the same payloads on every run. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const ODD_VALUES: unknown[] = [
    undefined,
    null,
    '',
    'x',
    'Action.Execute',
    0,
    -1,
    1e308,
    true,
    [],
    [1, 2],
    {},
    { $ne: null },
    'x'.repeat(5000),
    { toString: 'no' },
  ];
  const VALID_ID = '00000000-0000-4000-8000-0000000000ff';

  /** `value`s of an adaptiveCard/action invoke that no Privacy Desk card sends. */
  function malformedValues(): unknown[] {
    const values: unknown[] = [...ODD_VALUES];
    for (const action of ODD_VALUES) values.push({ action }, { action, trigger: 'manual' });
    for (const type of ODD_VALUES.filter((t) => t !== 'Action.Execute'))
      values.push({ action: { type, verb: CardVerb.Approve, data: { requestId: VALID_ID } } });
    values.push({ action: { type: 'Action.Submit', verb: CardVerb.Approve, data: { requestId: VALID_ID } } });
    for (const verb of [...ODD_VALUES, 'request.delete', 'REQUEST.APPROVE', ' request.approve', 'x'.repeat(200)]) {
      values.push({ action: { type: 'Action.Execute', verb, data: { requestId: VALID_ID } } });
    }
    for (const data of [
      ...ODD_VALUES,
      { requestId: 42 },
      { requestId: 'not-an-id' },
      { requestId: [VALID_ID] },
      { requestId: { $ne: null } },
      { requestId: `${VALID_ID} ` },
    ]) {
      for (const verb of Object.values(CardVerb)) values.push({ action: { type: 'Action.Execute', verb, data } });
    }
    for (const trigger of ['', 'sometimes', 5, null, {}])
      values.push({ action: { type: 'Action.Execute', verb: CardVerb.Approve, data: { requestId: VALID_ID } }, trigger });
    return values;
  }

  /** Activity-level damage the bot dereferences: what botbuilder would turn into a TypeError. */
  const ACTIVITY_DAMAGE: Array<(a: Record<string, unknown>) => Record<string, unknown>> = [
    (a) => ({ ...a, from: 'someone' }),
    (a) => ({ ...a, from: null }),
    (a) => ({ ...a, from: { ...(a.from as object), aadObjectId: 42 } }),
    (a) => ({ ...a, recipient: 7 }),
    (a) => ({ ...a, entities: 'mention' }),
    (a) => ({ ...a, entities: [null] }),
    (a) => ({ ...a, channelData: 'msteams' }),
    (a) => ({ ...a, channelData: { tenant: 'ours' } }),
    (a) => ({ ...a, conversation: { id: 5 } }),
    (a) => ({ ...a, conversation: null }),
    (a) => ({ ...a, name: 12 }),
    (a) => ({ ...a, text: { html: true } }),
    (a) => ({ ...a, type: '' }),
    (a) => ({ ...a, membersAdded: {} }),
  ];

  /** Invoke names Teams uses that Privacy Desk does not handle: botbuilder's 501 is allowed for them. */
  const OTHER_INVOKES = [
    'task/fetch',
    'task/submit',
    'composeExtension/query',
    'message/submitAction',
    'config/fetch',
    'tab/fetch',
    'actionableMessage/executeAction',
    'signin/verifyState',
    'nonsense',
  ];

  it(`answers at least ${MINIMUM_PAYLOADS} malformed invokes with a 4xx and an error body, changing nothing`, async () => {
    const { teams } = suite.running;
    const invoke = (value: unknown) => teams.activity(PERSON.megan, { type: 'invoke', name: 'adaptiveCard/action', value });
    const payloads: Array<{ label: string; activity: Record<string, unknown>; otherName: boolean }> = [];
    malformedValues().forEach((value, i) =>
      payloads.push({ label: `value #${i}: ${JSON.stringify(value)?.slice(0, 120)}`, activity: invoke(value), otherName: false }),
    );
    const next = random(20261205);
    ACTIVITY_DAMAGE.forEach((damage, i) => {
      for (let k = 0; k < 3; k += 1) {
        const good = { action: { type: 'Action.Execute', verb: CardVerb.Approve, data: { requestId: VALID_ID } } };
        const values = malformedValues();
        const value = k === 0 ? good : values[Math.floor(next() * values.length)];
        payloads.push({ label: `activity damage #${i}/${k}`, activity: damage(invoke(value)), otherName: false });
      }
    });
    for (const name of OTHER_INVOKES) {
      for (const value of ODD_VALUES)
        payloads.push({
          label: `${name} ${JSON.stringify(value)?.slice(0, 60)}`,
          activity: teams.activity(PERSON.megan, { type: 'invoke', name, value }),
          otherName: true,
        });
    }
    assert.ok(payloads.length >= MINIMUM_PAYLOADS, `${payloads.length} payloads`);

    const sentBefore = suite.world.connector.sent().length;
    const statuses = new Map<number, number>();
    for (const { label, activity, otherName } of payloads) {
      const answer = await teams.post(activity);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (otherName && answer.status === 501) continue;
      assert.ok(answer.status >= 400 && answer.status < 500, `${label}: ${answer.status}`);
      assert.ok(answer.body !== undefined && answer.body !== '', `${label}: an error body`);
    }
    assert.equal(suite.world.connector.sent().length, sentBefore, 'no message was sent');
    assert.deepEqual(await suite.running.desk.store.list({ limit: 10 }), [], 'no request exists');
    assert.ok((statuses.get(400) ?? 0) > 0, JSON.stringify([...statuses]));
  });
});
