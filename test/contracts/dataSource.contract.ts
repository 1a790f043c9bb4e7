import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { inspect, isDeepStrictEqual } from 'node:util';
import { rawJsonOf, SourceFailure, type DataSource, type SourceRecord } from '../../domain/export/dataSource';
import { z } from 'zod';
import { disclosureSchema } from '../../adapters/sources/sourcesConfig';
import type { SubjectSnapshot } from '../../domain/requests/exportRequest';

export interface SourceUnderTest {
  readonly source: DataSource;
  /** A person the backing store holds records about. */
  readonly subject: SubjectSnapshot;
  /** The subject's records, in the order the source must yield them. */
  readonly expected: SourceRecord[];
  /** Another person the backing store also holds records about (so that "nothing about them" means something). */
  readonly otherSubject: SubjectSnapshot;
  /** Makes the backing store fail, at once or part-way through a read. Without it, the failure case is skipped. */
  readonly breakIt?: () => Promise<void>;
  readonly teardown: () => Promise<void>;
}

/** The file-name-safe id the sources file allows (adapters/sources/sourcesConfig.ts). */
const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Record values shorter than this are words like "you" or "gdpr" that an error may say for other reasons. */
const MIN_CONTENT_LENGTH = 8;

/** Someone no backing store has heard of. */
function nobody(): SubjectSnapshot {
  const id = randomUUID();
  return { objectId: id, displayName: `Nobody ${id.slice(0, 8)}`, userPrincipalName: `nobody-${id}@example.invalid`, mail: `nobody-${id}@example.invalid` };
}

async function collect(source: DataSource, subject: SubjectSnapshot, signal: AbortSignal = new AbortController().signal): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const record of source.records(subject, signal)) out.push(record);
  return out;
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  if (error instanceof SourceFailure) return false;
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Every string in a record, however deep. */
function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, into);
  return into;
}

/** What identifies a person in text: name, UPN, mail (lower-cased). */
function identifiers(person: SubjectSnapshot): string[] {
  return [person.displayName, person.userPrincipalName, person.mail]
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.toLowerCase());
}

/**
 * What every DataSource must do, whatever it reads. `setup` builds a source over a backing store that
 * holds records about `subject` and about `otherSubject`; it is called afresh for every case.
 */
export function dataSourceContract(name: string, setup: () => Promise<SourceUnderTest>): void {
  describe(`DataSource contract: ${name}`, function () {
    let t: SourceUnderTest;

    beforeEach(async function () {
      t = await setup();
    });

    afterEach(async function () {
      await t?.teardown();
    });

    it('has a file-name-safe id and a disclosure the sources file would accept (every Art. 15 field, consistent)', function () {
      const { id, disclosure, tabular } = t.source;
      assert.match(id, SOURCE_ID);
      assert.equal(typeof tabular, 'boolean');
      const parsed = disclosureSchema.safeParse(disclosure);
      assert.ok(parsed.success, parsed.success ? '' : z.prettifyError(parsed.error));
    });

    it('yields exactly the subject’s records, in order', async function () {
      assert.ok(t.expected.length > 0, 'the set-up gives the subject at least one record');
      assert.deepStrictEqual(await collect(t.source, t.subject), t.expected);
    });

    it('yields the same records when called again (a later attempt reads it again)', async function () {
      const first = await collect(t.source, t.subject);
      const second = await collect(t.source, t.subject);
      assert.deepStrictEqual(second, first);
      assert.deepStrictEqual(second, t.expected);
    });

    it('yields nothing about another person', async function () {
      const theirs = await collect(t.source, t.otherSubject);
      assert.ok(theirs.length > 0, 'the set-up holds records about the other person too, or this case proves nothing');
      const mine = await collect(t.source, t.subject);
      for (const record of mine) {
        assert.ok(!theirs.some((r) => isDeepStrictEqual(r, record)), `a record of the other person was yielded for the subject: ${JSON.stringify(record)}`);
      }
      const text = JSON.stringify(mine).toLowerCase();
      for (const id of [...identifiers(t.otherSubject), t.otherSubject.objectId.toLowerCase()]) {
        assert.ok(!text.includes(id), `the subject’s records mention the other person (${id})`);
      }
    });

    it('yields only plain, JSON-serializable objects, and raw JSON that says the same', async function () {
      const records = await collect(t.source, t.subject);
      for (const record of records) {
        assert.ok(record !== null && typeof record === 'object' && !Array.isArray(record), `not a plain object: ${inspect(record)}`);
        const proto = Object.getPrototypeOf(record) as unknown;
        assert.ok(proto === Object.prototype || proto === null, 'a record is a plain object, not a class instance');
        let text: string;
        assert.doesNotThrow(() => {
          text = JSON.stringify(record);
        }, 'a record serializes as JSON');
        assert.deepStrictEqual(JSON.parse(text!), record, 'a record survives JSON unchanged (no Dates, undefined, functions or class instances)');
        const raw = rawJsonOf(record);
        if (raw !== undefined) {
          assert.equal(typeof raw, 'string');
          assert.deepStrictEqual(JSON.parse(raw), record, 'the raw JSON handed along parses to the record');
        }
      }
    });

    it('yields nothing, without an error, for someone it holds no records about', async function () {
      assert.deepStrictEqual(await collect(t.source, nobody()), []);
    });

    it('stops at once with an abort, not a SourceFailure, when the signal is already aborted', async function () {
      const abort = new AbortController();
      abort.abort();
      const yielded: SourceRecord[] = [];
      // A source that never notices the abort is caught by mocha's timeout: no speed is asserted here.
      const outcome = await (async () => {
        for await (const record of t.source.records(t.subject, abort.signal)) yielded.push(record);
      })().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      assert.ok(outcome, `records() ran to the end (${yielded.length} records) although its signal was aborted`);
      assert.ok(isAbort(outcome.error, abort.signal), `expected an abort, got ${describeError(outcome.error)}`);
      assert.equal(yielded.length, 0, 'no record after the abort');
    });

    it('stops with an abort, yielding nothing more, when the signal is aborted part-way', async function () {
      if (t.expected.length < 2) this.skip(); // one record: there is no "part-way"
      const abort = new AbortController();
      const after: SourceRecord[] = [];
      let first = true;
      const outcome = await (async () => {
        for await (const record of t.source.records(t.subject, abort.signal)) {
          if (first) {
            first = false;
            abort.abort();
          } else after.push(record);
        }
      })().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      const ending = outcome ? describeError(outcome.error) : 'no error';
      assert.equal(after.length, 0, `${after.length} more record(s) were yielded after the abort (then it ended with ${ending})`);
      assert.ok(outcome, 'records() ended normally although its signal was aborted');
      assert.ok(isAbort(outcome.error, abort.signal), `expected an abort, got ${ending}`);
    });

    it('fails with a SourceFailure naming itself, and nothing personal, when its store breaks', async function () {
      if (!t.breakIt) this.skip(); // the backing store cannot be made to fail
      const forbidden = [
        ...identifiers(t.subject),
        ...strings(t.expected)
          .filter((s) => s.length >= MIN_CONTENT_LENGTH && s.toLowerCase() !== t.subject.objectId.toLowerCase())
          .map((s) => s.toLowerCase()),
      ];
      await t.breakIt!();
      const error = await collect(t.source, t.subject).then(
        (records) => assert.fail(`records() succeeded on a broken store (${records.length} records)`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SourceFailure, `expected a SourceFailure, got ${describeError(error)}`);
      assert.equal(error.sourceId, t.source.id);
      assert.equal(typeof error.reason, 'string');
      assert.notEqual(error.reason.trim(), '');
      for (const text of [error.reason, error.message]) {
        const lower = text.toLowerCase();
        for (const value of forbidden) assert.ok(!lower.includes(value), `the failure quotes personal data (${value}): ${text}`);
      }
    });
  });
}
