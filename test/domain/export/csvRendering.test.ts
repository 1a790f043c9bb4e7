import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CsvWriter } from '../../../domain/export/csvRendering';

function collect(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString() };
}

describe('CsvWriter', () => {
  it('writes a header and RFC 4180 rows: quotes doubled, nested values as JSON, missing values empty', async () => {
    const out = collect();
    const csv = new CsvWriter(['id', 'note', 'geo', 'ok', 'missing'], out.sink);
    await csv.add({ id: 1, note: 'said "hi", then\nleft', geo: { city: 'Leeds' }, ok: true });
    await csv.add({ id: 2, note: null, geo: [1, 2], ok: false });
    assert.equal(await csv.end(), 2);
    assert.equal(out.text(), 'id,note,geo,ok,missing\n1,"said ""hi"", then\nleft","{""city"":""Leeds""}",true,\n2,,"[1,2]",false,\n');
  });

  it('a cell a spreadsheet would run as a formula starts with a quote mark instead', async () => {
    const out = collect();
    const csv = new CsvWriter(['name', 'amount'], out.sink);
    await csv.add({ name: '=HYPERLINK("https://evil.example","click")', amount: -5 });
    await csv.add({ name: '+1 555', amount: '@SUM(A1)' });
    await csv.end();
    const [, first, second] = out.text().trimEnd().split('\n');
    assert.equal(first, `"'=HYPERLINK(""https://evil.example"",""click"")",-5`, 'numbers stay numbers');
    assert.equal(second, `"'+1 555","'@SUM(A1)"`);
  });

  it('writes nothing at all for no records, and batches many rows into few writes', async () => {
    const empty = collect();
    await new CsvWriter(['a'], empty.sink).end();
    assert.equal(empty.text(), '');
    const register = collect();
    await new CsvWriter(['reference', 'subject'], register.sink, { headerWhenEmpty: true }).end();
    assert.equal(register.text(), 'reference,subject\n', 'unless asked for its header (an empty register)');
    let writes = 0;
    const sink = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        done();
      },
    });
    const csv = new CsvWriter(['n'], sink);
    for (let n = 0; n < 2000; n += 1) await csv.add({ n });
    await csv.end();
    assert.ok(writes <= 21, `${writes} writes for 2000 rows`);
  });
});
