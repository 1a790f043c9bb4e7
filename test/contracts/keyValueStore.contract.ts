import assert from 'node:assert/strict';
import { IF_ABSENT, KeyValueConflict, type KeyValueStore } from '../../adapters/store/keyValueStore';

export interface KeyValueStoreUnderTest {
  readonly store: KeyValueStore;
  /**
   * Another store over the same durable data, as a second bot instance (or the same one restarted)
   * would get. Each call gives a new one; close() closes them all.
   */
  readonly openAnother: () => Promise<KeyValueStore>;
  readonly close: () => Promise<void>;
}

const KEY = 'conversation/19:abc@thread.tacv2';
const OTHER_KEY = 'settings/channel';

/** What every KeyValueStore must do, whatever it is built on. `makeStore` gives a fresh, empty store for each test. */
export function keyValueStoreContract(name: string, makeStore: () => Promise<KeyValueStoreUnderTest>): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let subject: KeyValueStoreUnderTest;
    let store: KeyValueStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.close();
    });

    it('has nothing for a key never written', async () => {
      assert.equal(await store.get(KEY), undefined);
    });

    it('gives back what was put, as JSON data, with the etag the write returned', async () => {
      const value = { conversation: { id: '19:abc' }, serviceUrl: 'https://smba.example', tags: ['a', 1, true, null], nested: { n: 1.5 } };
      const etag = await store.put(KEY, value);
      assert.deepEqual(await store.get(KEY), { value, etag });
    });

    it('keeps scalar values as they were', async () => {
      for (const value of ['text', 42, false, null]) {
        await store.put(KEY, value);
        assert.deepEqual((await store.get(KEY))?.value, value);
      }
    });

    it('keeps text exactly, whatever characters it holds', async () => {
      // A NUL typed into a message is valid JSON text (\u0000) that some JSON column types refuse.
      const value = { text: 'null \u0000 byte, émoji 🎉, quote " and backslash \\' };
      await store.put(KEY, value);
      assert.deepEqual((await store.get(KEY))?.value, value);
    });

    it('lets the last writer win when no etag is given, with a new etag each time', async () => {
      const first = await store.put(KEY, { step: 1 });
      const second = await store.put(KEY, { step: 2 });
      assert.notEqual(second, first);
      assert.deepEqual(await store.get(KEY), { value: { step: 2 }, etag: second });
    });

    it('keeps keys apart', async () => {
      await store.put(KEY, 'one');
      await store.put(OTHER_KEY, 'two');
      await store.delete(OTHER_KEY);
      assert.equal((await store.get(KEY))?.value, 'one');
    });

    describe('only if absent', () => {
      it('writes a key that has no value', async () => {
        const etag = await store.put(KEY, 'first', IF_ABSENT);
        assert.deepEqual(await store.get(KEY), { value: 'first', etag });
      });

      it('refuses a key that has a value, leaving it as it was', async () => {
        const etag = await store.put(KEY, 'first');
        await assert.rejects(store.put(KEY, 'second', IF_ABSENT), (error: unknown) => error instanceof KeyValueConflict && error.key === KEY);
        assert.deepEqual(await store.get(KEY), { value: 'first', etag });
      });
    });

    describe('only if unchanged', () => {
      it('writes when the etag is the stored one, returning a new etag', async () => {
        const etag = await store.put(KEY, { step: 1 });
        const next = await store.put(KEY, { step: 2 }, etag);
        assert.notEqual(next, etag);
        assert.deepEqual(await store.get(KEY), { value: { step: 2 }, etag: next });
      });

      it('refuses a stale etag, leaving the value as it was', async () => {
        const stale = await store.put(KEY, { step: 1 });
        const current = await store.put(KEY, { step: 2 });
        await assert.rejects(store.put(KEY, { step: 3 }, stale), KeyValueConflict);
        assert.deepEqual(await store.get(KEY), { value: { step: 2 }, etag: current });
      });

      it('refuses an etag for a key that has no value', async () => {
        const etag = await store.put(KEY, 'gone soon');
        await store.delete(KEY);
        await assert.rejects(store.put(KEY, 'back', etag), KeyValueConflict);
        assert.equal(await store.get(KEY), undefined);
      });

      it('never honours an etag from before the key was deleted and written again', async () => {
        const old = await store.put(KEY, 'first life');
        await store.delete(KEY);
        await store.put(KEY, 'second life');
        await assert.rejects(store.put(KEY, 'overwrite', old), KeyValueConflict);
      });
    });

    it('deletes a value, and deleting nothing is no error', async () => {
      await store.put(KEY, 'value');
      await store.delete(KEY);
      await store.delete(KEY);
      assert.equal(await store.get(KEY), undefined);
    });

    it('refuses a value JSON cannot hold, writing nothing', async () => {
      await assert.rejects(store.put(KEY, undefined), TypeError);
      assert.equal(await store.get(KEY), undefined);
    });

    describe('across instances', () => {
      it('keeps values and etags for another instance, or the same one restarted', async () => {
        const etag = await store.put(KEY, { kept: true });
        const reopened = await subject.openAnother();
        assert.deepEqual(await reopened.get(KEY), { value: { kept: true }, etag });
        await reopened.put(KEY, { kept: 'still' }, etag);
      });

      it('lets only one of two instances that read the same etag write', async () => {
        const a = store;
        const b = await subject.openAnother();
        const etag = await a.put(KEY, { turn: 0 });

        const read = await b.get(KEY);
        await a.put(KEY, { turn: 'a' }, etag);
        await assert.rejects(b.put(KEY, { turn: 'b' }, read?.etag), KeyValueConflict);
        await assert.rejects(b.put(KEY, { turn: 'b' }, IF_ABSENT), KeyValueConflict);
        assert.deepEqual((await b.get(KEY))?.value, { turn: 'a' });
      });

      it('lets exactly one of many instances writing the same etag at once win', async () => {
        const instances = [store, await subject.openAnother(), await subject.openAnother()];
        const etag = await store.put(KEY, { turn: 0 });
        const outcomes = await Promise.allSettled(instances.map((instance, n) => instance.put(KEY, { turn: n }, etag)));
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        assert.equal(won.length, 1);
        assert.ok(outcomes.every((o) => o.status === 'fulfilled' || o.reason instanceof KeyValueConflict));
        assert.equal((await store.get(KEY))?.etag, (won[0] as PromiseFulfilledResult<string>).value);
      });
    });
  });
}
