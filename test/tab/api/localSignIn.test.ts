import { strict as assert } from 'node:assert';
import { LocalSignIn } from '../../../tab/api/localSignIn';
import { FixedClock } from '../../support/fixedClock';

const MEGAN = { objectId: 'A1B2C3D4-0002-4000-8000-00000000A002', name: 'Megan Bowen' };
const ALEX = { objectId: 'a1b2c3d4-0001-4000-8000-00000000a001', name: 'Alex Wilber' };

describe('LocalSignIn: local mode’s pick-a-person sign-in for the tab', () => {
  let clock: FixedClock;
  let local: LocalSignIn;

  beforeEach(() => {
    clock = new FixedClock(new Date('2026-03-10T09:00:00Z'));
    local = new LocalSignIn([MEGAN, ALEX], clock);
  });

  it('lists the demo people and signs in any of them, by objectId in any case', async () => {
    assert.deepEqual(local.list(), [MEGAN, ALEX]);
    const token = await local.signIn(MEGAN.objectId.toLowerCase());
    assert.ok(token);
    assert.deepEqual(await local.check(`Bearer ${token}`), { ok: true, user: { objectId: MEGAN.objectId.toLowerCase(), name: 'Megan Bowen' } });
  });

  it('signs in no one who is not listed', async () => {
    assert.equal(await local.signIn('a1b2c3d4-0099-4000-8000-00000000a099'), undefined);
    assert.equal(await local.signIn(''), undefined);
  });

  it('refuses a token of another process (its key), one past its eight hours, and anything malformed', async () => {
    const other = await new LocalSignIn([MEGAN], clock).signIn(MEGAN.objectId);
    assert.deepEqual(await local.check(`Bearer ${other!}`), { ok: false, refusal: 'bad_signature' });
    const token = (await local.signIn(ALEX.objectId))!;
    clock.set(new Date('2026-03-10T17:00:01Z').toISOString());
    assert.deepEqual(await local.check(`Bearer ${token}`), { ok: false, refusal: 'bad_signature' });
    assert.deepEqual(await local.check(undefined), { ok: false, refusal: 'missing' });
    assert.deepEqual(await local.check('Bearer'), { ok: false, refusal: 'malformed' });
    assert.deepEqual(await local.check('Bearer a.b.c'), { ok: false, refusal: 'bad_signature' });
  });
});
