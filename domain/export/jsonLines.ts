import { StringDecoder } from 'node:string_decoder';

/**
 * The lines of a stream of JSON lines, those complete in each chunk together (one wait per chunk,
 * not per line). JSON Lines separates records with "\n"; a "\r" before it is whitespace that
 * JSON.parse ignores, and JSON text never holds a raw "\n", so a plain split is exact (readline also
 * splits on a lone "\r", and its separator regex cost about 1 s of main thread per GB). Each chunk
 * is searched once, however long a line is: an unfinished line is kept in pieces and joined when
 * its end arrives. Lines are slices of their chunk, not copies.
 */
export async function* jsonLines(body: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let unfinished: string[] = [];
  for await (const chunk of body) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const piece = text.slice(start, end);
      if (unfinished.length === 0) lines.push(piece);
      else {
        unfinished.push(piece);
        lines.push(unfinished.join(''));
        unfinished = [];
      }
      start = end + 1;
    }
    if (start < text.length) unfinished.push(text.slice(start));
    if (lines.length > 0) yield lines;
  }
  const rest = decoder.end();
  if (rest.length > 0) unfinished.push(rest);
  if (unfinished.length > 0) yield [unfinished.join('')];
}
