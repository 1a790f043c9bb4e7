import assert from 'node:assert/strict';
import { ASSIGNEE_INPUT, CANCEL_REASON_INPUT, CardVerb, DECLINE_REASON_INPUT, EXTEND_LENGTH_INPUT, EXTEND_REASON_INPUT } from '../../cards';
import { userActor } from '../../domain/actor';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { RequestState, STATE_LABEL } from '../../domain/requests/lifecycle';
import { actionsOf, cardOf, eventually, sentTo, textOf, toChannel } from '../helpers/cardQueries';
import { PERSON, useDesk } from '../helpers/harness';
import type { TeamsPerson } from '../helpers/teamsClient';

/** What these tests read of a card's actions; the card helpers hand them over as untyped JSON. */

/** The channel post's card: its refresh says which view Teams fetches, and for whom. */
interface ChannelCard {
  readonly body: unknown[];
  readonly actions?: unknown[];
  readonly refresh: { readonly action: { readonly verb: string; readonly data: unknown }; readonly userIds: readonly string[] };
}

/** What the bot answers to an Action.Execute: the card that replaces the clicked one. */
interface InvokeAnswer {
  readonly status: number;
  readonly body: { readonly value: unknown };
}

const CHANNEL = { channelId: '19:privacy@thread.tacv2', teamId: '19:team@thread.tacv2' };
/** A well-formed request id that no request has. */
const UNKNOWN_REQUEST_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Acting on a request from its card in the privacy channel: admins get actions, the request's subject
 * and requester read, anyone else learns nothing about it.
 */
describe('admin actions on channel cards (Universal Actions, user-specific views)', function () {
  this.timeout(60_000);
  const PATTI = 'a1b2c3d4-0005-4000-8000-00000000a005';
  const suite = useDesk({ env: { PRIVACY_ADMIN_IDS: `${PERSON.alex.objectId},${PATTI}` } });
  let requestId: string;

  before(async () => {
    await suite.running.teams.install(PERSON.alex);
    await suite.running.teams.install(PERSON.megan);
    await suite.running.teams.say(PERSON.alex, 'notify here', CHANNEL);
    const alex = userActor(PERSON.alex.objectId);
    const megan = await suite.running.desk.requests.findSubject(alex, 'meganb@example.com');
    requestId = (await suite.running.desk.requests.file(alex, { subject: megan, regime: 'gdpr', receivedOn: suite.running.desk.requests.today() })).id;
  });

  const invokeWith = (person: TeamsPerson, verb: string, data: Record<string, string>): Promise<InvokeAnswer> => suite.running.teams.invoke(person, verb, data);
  const invoke = (person: TeamsPerson, verb: string, inputs: Record<string, string> = {}) => invokeWith(person, verb, { requestId, ...inputs });

  it('posts a read-only card that Teams refreshes into the admin view for the admins it knows', async () => {
    const post = await suite.world.connector.waitFor((c) => toChannel(c) && /New export request filed/.test(textOf(cardOf(c) ?? {})), { timeoutMs: 20_000 });
    const card = cardOf(post) as ChannelCard;
    assert.deepEqual(actionsOf({ body: card.body, actions: card.actions }), [], 'no actions for everyone');
    assert.equal(card.refresh.action.verb, CardVerb.View);
    assert.deepEqual(card.refresh.action.data, { requestId });
    assert.deepEqual(card.refresh.userIds, [`29:${PERSON.alex.objectId}`]);
  });

  it('the refresh gives an admin the actions, and the request’s subject the read-only card', async () => {
    const adminView = (await invoke(PERSON.alex, CardVerb.View)).body.value;
    const verbs = new Set(
      actionsOf(adminView)
        .filter((a) => a.type !== 'Action.ShowCard')
        .map((a) => a.verb),
    );
    assert.deepEqual(verbs, new Set([CardVerb.Assign, CardVerb.Cancel, CardVerb.Extend]));
    const readOnly = (await invoke(PERSON.megan, CardVerb.View)).body.value;
    assert.deepEqual(actionsOf(readOnly), []);
    assert.match(textOf(readOnly), /Megan Bowen/);
    assert.doesNotMatch(JSON.stringify(readOnly), /meganb@example\.com/);
  });

  it('someone with no part in the request learns nothing from any action on it and changes nothing: the answer an unknown id gets', async () => {
    const attempts: Array<[string, Record<string, string>]> = [
      [CardVerb.View, {}],
      [CardVerb.Extend, { [EXTEND_LENGTH_INPUT]: '1', [EXTEND_REASON_INPUT]: 'Records spread over several systems' }],
      [CardVerb.Cancel, { [CANCEL_REASON_INPUT]: 'Duplicate of a request handled by mail' }],
      [CardVerb.Retry, {}],
      [CardVerb.Assign, { [ASSIGNEE_INPUT]: PERSON.isaiah.objectId }],
      [CardVerb.Approve, {}],
      [CardVerb.Decline, { [DECLINE_REASON_INPUT]: 'Not something I asked for' }],
    ];
    const before = (await suite.running.desk.store.get(requestId))!;
    const trailBefore = await suite.running.desk.store.auditTrail(requestId);
    const hidden = [PERSON.megan.name, 'Megan', 'meganb@example.com', before.reference, requestId, STATE_LABEL[before.state]];
    for (const [verb, inputs] of attempts) {
      const real = await invokeWith(PERSON.isaiah, verb, { requestId, ...inputs });
      const unknown = await invokeWith(PERSON.isaiah, verb, { requestId: UNKNOWN_REQUEST_ID, ...inputs });
      assert.equal(real.status, 200, verb);
      assert.deepEqual(real.body, unknown.body, `${verb}: the same answer as for a request that does not exist`);
      const said = JSON.stringify(real.body);
      for (const detail of hidden) assert.ok(!said.includes(detail), `${verb} does not reveal ${detail}`);
      assert.doesNotMatch(said, /DSR-\d{4}-\d{4}/, `${verb} names no reference`);
      assert.deepEqual(actionsOf(real.body.value), [], `${verb}: nothing to click`);
      assert.match(textOf(real.body.value), /nothing to show you for this card, and nothing was changed/);
    }
    assert.deepEqual(await suite.running.desk.store.get(requestId), before, 'the request is as it was');
    const added = (await suite.running.desk.store.auditTrail(requestId)).slice(trailBefore.length);
    assert.ok(
      added.every((e) => e.type === AuditEventType.Refused && e.actor.objectId === PERSON.isaiah.objectId),
      'nothing but the refused attempts is recorded',
    );
  });

  it('assigns to another privacy admin chosen on the card, and to nobody else', async () => {
    const view = (await invoke(PERSON.alex, CardVerb.View)).body.value;
    const choices = JSON.stringify(view);
    assert.match(choices, /Patti Fernandez/);
    const assigned = (await invoke(PERSON.alex, CardVerb.Assign, { [ASSIGNEE_INPUT]: PATTI })).body.value;
    assert.match(textOf(assigned), /is assigned to Patti Fernandez/);
    assert.equal((await suite.running.desk.store.get(requestId))!.assignee?.objectId, PATTI);
    const refused = (await invoke(PERSON.alex, CardVerb.Assign, { [ASSIGNEE_INPUT]: PERSON.isaiah.objectId })).body.value;
    assert.match(textOf(refused), /can only be assigned to a privacy admin/);
    assert.equal((await suite.running.desk.store.get(requestId))!.assignee?.objectId, PATTI);
  });

  it('take it on, extend with a reason, then cancel with a reason — each audited; a non-admin changes nothing', async () => {
    const taken = (await invoke(PERSON.alex, CardVerb.Assign)).body.value;
    assert.match(textOf(taken), /You have taken on .*Handled by Alex Wilber/s);

    // The subject may read the request, not act on it as an admin; the refusal names no request.
    const before = (await suite.running.desk.store.get(requestId))!;
    const refused = (await invoke(PERSON.megan, CardVerb.Cancel, { [CANCEL_REASON_INPUT]: 'not mine to cancel' })).body.value;
    assert.match(textOf(refused), /Only privacy admins can cancel a request/);
    assert.doesNotMatch(JSON.stringify(refused), /DSR-\d{4}-\d{4}/);
    assert.deepEqual(await suite.running.desk.store.get(requestId), before);

    const extended = (await invoke(PERSON.alex, CardVerb.Extend, { [EXTEND_LENGTH_INPUT]: '1', [EXTEND_REASON_INPUT]: 'Records spread over several systems' }))
      .body.value;
    assert.match(textOf(extended), /Extended: due/);
    await suite.world.connector.waitFor((c) => sentTo(`a:personal-${PERSON.megan.objectId}`)(c) && /We need more time/.test(textOf(cardOf(c) ?? {})), {
      timeoutMs: 20_000,
    });

    const noReason = (await invoke(PERSON.alex, CardVerb.Cancel, { [CANCEL_REASON_INPUT]: '' })).body.value;
    assert.match(textOf(noReason), /Give the reason for cancelling/);
    const cancelled = (await invoke(PERSON.alex, CardVerb.Cancel, { [CANCEL_REASON_INPUT]: 'Duplicate of a request handled by mail' })).body.value;
    assert.match(textOf(cancelled), /is cancelled/);
    assert.deepEqual(
      actionsOf(cancelled).filter((a) => a.verb === CardVerb.Cancel || a.verb === CardVerb.Extend),
      [],
      'nothing left to do on a cancelled request',
    );

    const stored = (await suite.running.desk.store.get(requestId))!;
    assert.equal(stored.state, RequestState.Cancelled);
    assert.equal(stored.cancelReason, 'Duplicate of a request handled by mail');
    const trail = await suite.running.desk.store.auditTrail(requestId);
    assert.ok(trail.some((e) => e.type === AuditEventType.Assigned));
    assert.ok(trail.some((e) => e.type === AuditEventType.DeadlineExtended));
    assert.ok(trail.some((e) => e.detail.event === 'cancel' && e.actor.objectId === PERSON.alex.objectId));
    await eventually(
      async () => suite.world.connector.sent().some((c) => toChannel(c) && /cancelled by the privacy team/.test(textOf(cardOf(c) ?? {}))),
      'the cancellation in the request’s channel thread',
    );
  });
});
