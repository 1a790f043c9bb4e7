import assert from 'node:assert/strict';
import { verifyAuditLog } from '../../../domain/audit/auditVerification';
import { ConfiguredAdmins } from '../../../domain/policy/adminPolicy';
import { Refusal } from '../../../domain/refusal';
import { Decision } from '../../../domain/requests/requestService';
import { domainFixture, PEOPLE } from '../../helpers/domainFixture';

type Fixture = Awaited<ReturnType<typeof domainFixture>>;

/** The hash chain on the real SQLite store, tampered with the way someone with database access would. */
describe('the hash-chained audit log', () => {
  let f: Fixture;
  const admins = new ConfiguredAdmins([PEOPLE.alex.objectId]);
  const verify = () => verifyAuditLog(PEOPLE.alex, { store: f.store, admins });
  const sql = (statement: string, ...params: unknown[]) => f.db.handle.prepare(statement).run(...params);

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
    const row = f.db.handle.prepare('SELECT sequence, body FROM audit_events ORDER BY sequence LIMIT 1 OFFSET 2').get() as { sequence: number; body: string };
    const edited = JSON.parse(row.body);
    edited.actor.objectId = PEOPLE.isaiah.objectId;
    sql('UPDATE audit_events SET body = ? WHERE sequence = ?', JSON.stringify(edited), row.sequence);
    const report = await verify();
    assert.equal(report.intact, false);
    assert.deepEqual(report.broken, { sequence: row.sequence, reference: 'DSR-2026-0002', reason: 'edited' });
    assert.equal(report.checked, 2);
  });

  it('detects a removed event', async () => {
    sql('DELETE FROM audit_events WHERE sequence = (SELECT sequence FROM audit_events ORDER BY sequence LIMIT 1 OFFSET 1)');
    const report = await verify();
    assert.equal(report.intact, false);
    assert.equal(report.broken?.reason, 'removed_or_reordered');
  });

  it('detects reordered events (bodies and hashes swapped between positions)', async () => {
    const rows = f.db.handle.prepare('SELECT sequence, body, previous_hash, hash FROM audit_events ORDER BY sequence LIMIT 2 OFFSET 3').all() as Array<{ sequence: number; body: string; previous_hash: string; hash: string }>;
    const [a, b] = rows as [typeof rows[0], typeof rows[0]];
    const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;
    // Swap the two entries (event, its links and its id) between their positions in the log.
    sql('UPDATE audit_events SET id = ? WHERE sequence = ?', 'moving', a.sequence);
    sql('UPDATE audit_events SET body = ?, previous_hash = ?, hash = ?, id = ? WHERE sequence = ?', a.body, a.previous_hash, a.hash, idOf(a.body), b.sequence);
    sql('UPDATE audit_events SET body = ?, previous_hash = ?, hash = ?, id = ? WHERE sequence = ?', b.body, b.previous_hash, b.hash, idOf(b.body), a.sequence);
    const report = await verify();
    assert.equal(report.intact, false);
    assert.equal(report.broken?.sequence, a.sequence);
    assert.equal(report.broken?.reason, 'removed_or_reordered');
  });

  it('is for privacy admins only', async () => {
    await assert.rejects(verifyAuditLog(PEOPLE.isaiah, { store: f.store, admins }), (e: unknown) => e instanceof Refusal && /Only privacy admins can verify/.test(e.sentence));
  });
});
