import assert from 'node:assert/strict';
import { BlockStager } from '../../../domain/export/blockStaging';
import type { BlockUpload } from '../../../domain/export/packageStore';
import { MemoryBlockUpload } from '../../helpers/memoryBlockUpload';

/** An upload whose blocks are stored only when the test says so. */
function heldUpload(): BlockUpload & { waiting: Array<() => void>; stored: string[] } {
  const waiting: Array<() => void> = [];
  const stored: string[] = [];
  let next = 0;
  return {
    waiting,
    stored,
    stageBlock: (data) =>
      new Promise((resolve) => {
        const id = `b${next++}:${data.toString()}`;
        waiting.push(() => {
          stored.push(id);
          resolve(id);
        });
      }),
    commit: async () => undefined,
    abandon: async () => undefined,
  };
}

describe('BlockStager', () => {
  it('cuts bytes into blocks of at least the block size and keeps them, and inserted blocks, in order', async () => {
    const upload = new MemoryBlockUpload();
    const elsewhere = await upload.stageBlock(Buffer.from('|'));
    const stager = new BlockStager(upload, 4);
    await stager.write(Buffer.from('ab'));
    await stager.write(Buffer.from('cdef'));
    await stager.insert([elsewhere]);
    await stager.write(Buffer.from('gh'));
    const ids = await stager.finish();
    assert.equal(ids.length, 3);
    assert.equal(ids[1], elsewhere, 'what was held was staged before the inserted block');
    await upload.commit(ids);
    assert.equal(upload.committed!.toString(), 'abcdef|gh');
  });

  it('waits while a block is on its way, so a slow store slows the writer instead of filling memory', async () => {
    const upload = heldUpload();
    const stager = new BlockStager(upload, 1);
    await stager.write(Buffer.from('1'));
    let second = false;
    const writing = stager.write(Buffer.from('2')).then(() => (second = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second, false, 'the second block waits for the first');
    assert.equal(upload.waiting.length, 1);
    upload.waiting.shift()!();
    await writing;
    assert.equal(upload.waiting.length, 1, 'once the first is stored, the second goes');
    const finishing = stager.finish();
    for (const store of upload.waiting.splice(0)) store();
    assert.deepEqual(await finishing, ['b0:1', 'b1:2']);
  });

  it('a block the store refuses fails the next write and the end, not silently', async () => {
    const failing: BlockUpload = {
      stageBlock: async () => Promise.reject(new Error('503 ServerBusy')),
      commit: async () => undefined,
      abandon: async () => undefined,
    };
    const stager = new BlockStager(failing, 1);
    await stager.write(Buffer.from('1'));
    await assert.rejects(stager.write(Buffer.from('2')), /ServerBusy/);
    await assert.rejects(stager.finish(), /ServerBusy/);
  });
});
