// `npm run store:copy` as an operator runs it: a child process with --from and --to, against a real PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../adapters/store/sqlite/sqliteDatabase';
import { SqliteKeyValueStore } from '../../adapters/store/sqlite/sqliteKeyValueStore';
import { SqliteRequestStore } from '../../adapters/store/sqlite/sqliteRequestStore';
import { userActor } from '../../domain/actor';
import { NotificationKind } from '../../domain/delivery/notification';
import { AuditEventType } from '../../domain/requests/auditEvent';
import { auditEvent } from '../../domain/requests/changes';
import { RequestState } from '../../domain/requests/lifecycle';
import { startPostgres, type PostgresServer } from '../support/postgres';

const ROOT = join(__dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/storeCopy.ts');
/** The password startPostgres gives its superuser: it must never appear in what the command prints. */
const PASSWORD = 'privacy-desk-test';
/** A loopback port nothing listens on (the discard port): connecting is refused at once. */
const CLOSED_PORT = 9;
const T0 = new Date('2026-03-02T09:00:00.000Z');
const ADMIN = userActor('aaaaaaaa-0000-0000-0000-00000000000a');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runStoreCopy(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const { PGPASSWORD: _password, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT, env: { ...inherited, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

/** One filed request, its audit event and channel message, and one conversation reference, written as the bot writes them. */
async function smallStore(path: string): Promise<void> {
  const db = await SqliteDatabase.open(path);
  try {
    const id = randomUUID();
    await new SqliteRequestStore(db).create(
      {
        id,
        version: 1,
        state: RequestState.AwaitingConfirmation,
        regime: 'gdpr',
        subject: { objectId: 'subject-a', displayName: 'Dana Subject', userPrincipalName: 'dana@contoso.example' },
        requesterId: ADMIN.objectId,
        selfService: false,
        deliverTo: 'subject',
        receivedOn: '2026-03-01',
        dueOn: '2026-04-01',
        exportAttempts: 0,
        createdAt: T0.toISOString(),
        updatedAt: T0.toISOString(),
      },
      2026,
      (reference) => [auditEvent(id, ADMIN, AuditEventType.Filed, T0, { reference })],
      [{ requestId: id, kind: NotificationKind.ChannelUpdate }],
    );
    await new SqliteKeyValueStore(db).put('convref:user:subject-a', { conversation: { id: 'a:1' } });
  } finally {
    db.close();
  }
}

describe('scripts/storeCopy.ts', () => {
  let server: PostgresServer;
  let dir: string;
  let sqliteFile: string;

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    await server?.stop();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'privacy-desk-store-copy-'));
    sqliteFile = join(dir, 'privacy-desk.db');
    await smallStore(sqliteFile);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('copies the store and says what it copied, then refuses to copy into the same database again', async () => {
    const url = await server.createDatabase();

    const first = await runStoreCopy(['--from', sqliteFile, '--to', url]);
    assert.deepEqual(first, {
      code: 0,
      stdout: 'Copied 1 request, 1 audit event (chain intact), 1 message, 0 scheduled runs, 1 conversation record and 1 reference counter.\n',
      stderr: '',
    });

    const again = await runStoreCopy(['--from', sqliteFile, '--to', url]);
    assert.deepEqual(again, {
      code: 1,
      stdout: '',
      stderr:
        'The target database already holds 1 request, 1 audit event, 1 message, 1 conversation record and 1 reference counter; store:copy only copies into an empty database. Nothing was copied.\n',
    });
  });

  it('takes the password from PGPASSWORD when the URL has none', async () => {
    const run = await runStoreCopy(['--from', sqliteFile, '--to', withoutPassword(await server.createDatabase())], { PGPASSWORD: PASSWORD });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Copied 1 request, /);
  });

  it('says in one sentence, without the password, when it cannot reach the database', async () => {
    const run = await runStoreCopy(['--from', sqliteFile, '--to', `postgres://postgres:${PASSWORD}@127.0.0.1:${CLOSED_PORT}/privacy_desk`]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`^Could not reach PostgreSQL at 127\\.0\\.0\\.1:${CLOSED_PORT}/privacy_desk: .*; nothing was copied\\.\\n$`));
    assert.doesNotMatch(run.stderr, new RegExp(PASSWORD));
  });

  it('says in one sentence, without the password, when the password is wrong', async () => {
    const url = new URL(await server.createDatabase());
    url.password = 'not-the-password';
    const run = await runStoreCopy(['--from', sqliteFile, '--to', url.toString()]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Could not reach PostgreSQL at 127\.0\.0\.1:\d+\/test_[0-9a-f]+: .*password.*; nothing was copied\.\n$/);
    assert.doesNotMatch(run.stderr, /not-the-password/);
  });

  it('refuses a missing SQLite file', async () => {
    const missing = join(dir, 'elsewhere.db');
    const run = await runStoreCopy(['--from', missing, '--to', await server.createDatabase()]);
    assert.deepEqual(run, { code: 1, stdout: '', stderr: `There is no SQLite file at ${missing}; nothing was copied.\n` });
  });

  it('explains its use when --from or --to is missing, or when given anything else, without echoing a URL', async () => {
    const usage = 'Use: npm run store:copy -- --from <SQLite file> --to postgres://user@host:5432/database (the password in the URL or in PGPASSWORD).';
    assert.deepEqual(await runStoreCopy(['--from', sqliteFile]), { code: 1, stdout: '', stderr: `store:copy needs both --from and --to. ${usage}\n` });
    const stray = await runStoreCopy(['--from', sqliteFile, `postgres://postgres:${PASSWORD}@127.0.0.1:5432/privacy_desk`]);
    assert.deepEqual(stray, { code: 1, stdout: '', stderr: `store:copy takes --from and --to and nothing else. ${usage}\n` });
    const mysql = await runStoreCopy(['--from', sqliteFile, '--to', `mysql://root:${PASSWORD}@127.0.0.1/privacy_desk`]);
    assert.deepEqual(mysql, { code: 1, stdout: '', stderr: `--to is not a postgres:// URL. ${usage}\n` });
  });
});
