import assert from 'node:assert/strict';
import { countingQueuedWork } from '../../app/countingQueuedWork';
import type { RequestStore } from '../../domain/requests/requestStore';

/** A store whose methods need their own `this`, as the real ones do. */
class RecordingStore {
  readonly calls: string[] = [];
  async get(id: string) {
    this.calls.push(`get ${id}`);
    return undefined;
  }
  async update(request: { id: string }) {
    this.calls.push(`update ${request.id}`);
  }
  async create() {
    throw new Error('duplicate');
  }
  async appendAudit() {
    this.calls.push('appendAudit');
  }
}

describe('app/countingQueuedWork', () => {
  it('counts the writes that may queue work, settled or failed, and passes every call through to the store', async () => {
    const real = new RecordingStore();
    const { store, writes } = countingQueuedWork(real as unknown as RequestStore);

    await store.get('r1');
    await store.appendAudit({} as never);
    assert.equal(writes(), 0, 'a read and an audit line queue nothing');

    await store.update({ id: 'r1' } as never);
    assert.equal(writes(), 1);
    await assert.rejects(
      store.create({} as never, 2026, () => [], []),
      /duplicate/,
    );
    assert.equal(writes(), 2, 'a failed write counts too: it may have committed before failing');

    assert.deepEqual(real.calls, ['get r1', 'appendAudit', 'update r1']);
  });
});
