import assert from 'node:assert/strict';
import { jsonLines } from '../../../domain/export/jsonLines';

async function* chunks(...parts: Buffer[]) {
  for (const part of parts) yield part;
}

async function all(source: AsyncIterable<Buffer>): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of jsonLines(source)) lines.push(...batch);
  return lines;
}

describe('jsonLines', () => {
  it('splits on "\\n" only: a "\\r" before it stays for JSON.parse to ignore, a lone one stays in its line', async () => {
    const lines = await all(chunks(Buffer.from('{"a":1}\r\n{"b":\r2}\n\n{"c":3}')));
    assert.deepEqual(lines, ['{"a":1}\r', '{"b":\r2}', '', '{"c":3}']);
    assert.deepEqual(
      lines.filter((l) => l.trim()).map((l): unknown => JSON.parse(l)),
      [{ a: 1 }, { b: 2 }, { c: 3 }],
    );
  });

  it('joins a line cut across chunks, even inside a character of several bytes', async () => {
    const text = Buffer.from('{"city":"Zürich"}\n{"city":"Köln"}\n');
    const cut = text.indexOf(Buffer.from('ü')) + 1; // between the two bytes of "ü"
    assert.deepEqual(await all(chunks(text.subarray(0, cut), text.subarray(cut))), ['{"city":"Zürich"}', '{"city":"Köln"}']);
  });

  it('a line far longer than a chunk arrives whole, and one without a final newline too', async () => {
    const long = `{"note":"${'é'.repeat(300_000)}"}`;
    const bytes = Buffer.from(`${long}\n{"n":2}`);
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += 4096) pieces.push(bytes.subarray(offset, offset + 4096));
    assert.deepEqual(await all(chunks(...pieces)), [long, '{"n":2}']);
    assert.deepEqual(await all(chunks()), []);
  });
});
