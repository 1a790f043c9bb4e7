import assert from 'node:assert/strict';
import type { ChainedAuditEvent } from '../../../domain/audit/auditChain';
import { verifyAuditLog } from '../../../domain/audit/auditVerification';
import { ConfiguredAdmins } from '../../../domain/policy/adminPolicy';
import { Refusal } from '../../../domain/refusal';
import { Decision } from '../../../domain/requests/requestService';
import { domainFixture, PEOPLE } from '../../helpers/domainFixture';

type Fixture = Awaited<ReturnType<typeof domainFixture>>;

/**
 * The hash chain on the real SQLite store, tampered with the way someone with database access would:
 * the log is read through the store's port, only the tampering is SQL.
 */
describe('the hash-chained audit log', () => {
  let f: Fixture;
  const admins = new ConfiguredAdmins([PEOPLE.alex.objectId]);
  const verify = () => verifyAuditLog(PEOPLE.alex, { store: f.store, admins });
  const sql = (statement: string, ...params: unknown[]) => f.db.handle.prepare(statement).run(...params);
  async function logEntry(position: number): Promise<ChainedAuditEvent> {
    const log: ChainedAuditEvent[] = [];
    for await (const entry of f.store.auditLog()) log.push(entry);
    const entry = log[position];
    assert.ok(entry, `the log has an entry at position ${position}`);
    return entry;
  }

  beforeEach(async () => {
    f = await domainFixture();
    const megan = await f.requests.file(PEOPLE.alex, { subject: await f.subject('meganb@example.com'), regime: 'gdpr', receivedOn: '2026-01-31' });
    await f.requests.file(PEOPLE.alex, { subject: await f.subject('adelev@example.com'), regime: 'ccpa', receivedOn: '2026-01-30' });
    await f.requests.respond(PEOPLE.megan, megan.id, Decision.Approve);
    await f.requests.respond(PEOPLE.isaiah, megan.id, Decision.Decline).catch(() => undefined); // a refusal, audited
  });
  afterEach(() => f.close());

  it('is intact when nobody touched it, across requests and refusals', async () => {
    const report = await verify();
    assert.equal(report.intact, true);
    assert.equal(report.checked, 6);
  });

  it('detects an edited event and names where the chain breaks', async () => {
    const row = await logEntry(2);
    const edited = structuredClone(row.event) as { actor: { objectId: string } };
    edited.actor.objectId = PEOPLE.isaiah.objectId;
    sql('UPDATE audit_events SET body = ? WHERE sequence = ?', JSON.stringify(edited), row.sequence);
    const report = await verify();
    assert.equal(report.intact, false);
    assert.deepEqual(report.broken, { sequence: row.sequence, reference: 'DSR-2026-0002', reason: 'edited' });
    assert.equal(report.checked, 2);
  });

  it('detects a removed event', async () => {
    sql('DELETE FROM audit_events WHERE sequence = ?', (await logEntry(1)).sequence);
    const report = await verify();
    assert.equal(report.intact, false);
    assert.equal(report.broken?.reason, 'removed_or_reordered');
  });

  it('detects reordered events (bodies and hashes swapped between positions)', async () => {
    const [a, b] = [await logEntry(3), await logEntry(4)];
    // Swap the two entries (event, its links and its id) between their positions in the log.
    sql('UPDATE audit_events SET id = ? WHERE sequence = ?', 'moving', a.sequence);
    sql(
      'UPDATE audit_events SET body = ?, previous_hash = ?, hash = ?, id = ? WHERE sequence = ?',
      JSON.stringify(a.event),
      a.previousHash,
      a.hash,
      a.event.id,
      b.sequence,
    );
    sql(
      'UPDATE audit_events SET body = ?, previous_hash = ?, hash = ?, id = ? WHERE sequence = ?',
      JSON.stringify(b.event),
      b.previousHash,
      b.hash,
      b.event.id,
      a.sequence,
    );
    const report = await verify();
    assert.equal(report.intact, false);
    assert.equal(report.broken?.sequence, a.sequence);
    assert.equal(report.broken?.reason, 'removed_or_reordered');
  });

  it('is for privacy admins only', async () => {
    await assert.rejects(
      verifyAuditLog(PEOPLE.isaiah, { store: f.store, admins }),
      (e: unknown) => e instanceof Refusal && /Only privacy admins can verify/.test(e.sentence),
    );
  });
});
