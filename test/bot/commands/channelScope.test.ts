import { strict as assert } from 'node:assert';
import { channelIdIn, teamIdIn } from '../../../bot/commands/channelScope';

describe('channelScope: where an activity came from', () => {
  it('reads the Teams channel and team ids from channelData', () => {
    const activity = { channelData: { channel: { id: '19:privacy@thread.tacv2' }, team: { id: '19:team@thread.tacv2' } } };
    assert.equal(channelIdIn(activity), '19:privacy@thread.tacv2');
    assert.equal(teamIdIn(activity), '19:team@thread.tacv2');
  });

  it('finds nothing, without throwing, in channelData that is missing, null or of another shape', () => {
    const shapes: unknown[] = [
      undefined,
      null,
      'text',
      7,
      {},
      { channel: null, team: null },
      { channel: 'x', team: [] },
      { channel: { id: 42 }, team: { id: { nested: 'x' } } },
    ];
    for (const channelData of shapes) {
      const activity = { channelData } as { channelData: unknown };
      assert.equal(channelIdIn(activity), undefined, JSON.stringify(channelData));
      assert.equal(teamIdIn(activity), undefined, JSON.stringify(channelData));
    }
  });
});
