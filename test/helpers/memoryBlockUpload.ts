import type { BlockUpload } from '../../domain/export/packageStore';

/**
 * A block upload held in memory, for tests of what is written into it (the Azure one is tested
 * against Azurite). It copies what it is given, as a store would, and remembers the order of calls.
 */
export class MemoryBlockUpload implements BlockUpload {
  private readonly blocks = new Map<string, Buffer>();
  private next = 0;
  /** The blob as committed. */
  committed?: Buffer;
  /** Bytes staged so far, in the order they arrived. */
  stagedBytes = 0;

  async stageBlock(data: Buffer): Promise<string> {
    const id = `block-${String(this.next++).padStart(6, '0')}`;
    this.blocks.set(id, Buffer.from(data));
    this.stagedBytes += data.length;
    return id;
  }

  async commit(blockIds: readonly string[]): Promise<void> {
    this.committed = Buffer.concat(
      blockIds.map((id) => {
        const block = this.blocks.get(id);
        if (!block) throw new Error(`no staged block ${id}`);
        return block;
      }),
    );
    this.blocks.clear();
  }

  async abandon(): Promise<void> {
    this.blocks.clear();
    this.committed = undefined;
  }
}
