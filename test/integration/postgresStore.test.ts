// DATABASE_URL set: the whole bot on PostgreSQL (issue 13). One request end to end over HTTP (JWT on,
// Azurite, the Bot Connector stand-in), with its rows read back from PostgreSQL itself and no SQLite
// file anywhere; then /readyz as a load balancer sees it: ready, not ready once the database is gone,
// and not ready at once when the instance starts stopping, while work in flight is let finish.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CardVerb } from '../../cards';
import type { DataSource } from '../../domain/export/dataSource';
import { RequestState } from '../../domain/requests/lifecycle';
import { READY_PATH } from '../../bot/http/server';
import { actionsOf, cardOf, eventually, sentTo, textOfActivity } from '../helpers/cardQueries';
import { PERSON, startDesk, startWorld, type RunningDesk, type World } from '../helpers/harness';
import { startPostgres, type PostgresServer } from '../support/postgres';

const WAIT = { timeoutMs: 20_000 };
const personal = (p: { objectId: string }) => `a:personal-${p.objectId}`;

/** What these tests read of a card's actions; the card helpers hand them over as untyped JSON. */

async function readyz(running: RunningDesk): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${running.desk.server.url}${READY_PATH}`);
  return { status: response.status, body: await response.json() };
}

async function rowsOf(url: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Files a request for Megan through the admin's dialog; returns its reference. */
async function fileForMegan(running: RunningDesk, world: World): Promise<string> {
  const say = async (text: string) => {
    const before = world.connector.sent().length;
    const result = await running.teams.say(PERSON.alex, text);
    assert.equal(result.status, 200, `"${text}" was answered ${result.status}`);
    return world.connector
      .sent()
      .slice(before)
      .filter(sentTo(personal(PERSON.alex)))
      .map(textOfActivity)
      .join('\n');
  };
  assert.match(await say('export meganb@example.com'), /I found Megan Bowen/);
  assert.match(await say('yes'), /Under which law/);
  assert.match(await say('GDPR'), /When was the request received/);
  assert.match(await say('today'), /ticket number/);
  assert.match(await say('skip'), /Data subject: Megan Bowen/);
  const filed = await say('yes');
  const reference = /Filed (DSR-\d{4}-\d{4})/.exec(filed)?.[1];
  assert.ok(reference, filed);
  return reference;
}

/** Megan approves her request from the card in her chat. */
async function approveAsMegan(running: RunningDesk, world: World, requestId: string): Promise<void> {
  await world.connector.waitFor(
    (c) => sentTo(personal(PERSON.megan))(c) && actionsOf(cardOf(c)).some((a) => a.verb === CardVerb.Approve && a.data?.requestId === requestId),
    WAIT,
  );
  const approved = await running.teams.invoke(PERSON.megan, CardVerb.Approve, { requestId });
  assert.equal(approved.status, 200);
}

describe('PostgreSQL as the store (DATABASE_URL)', function () {
  this.timeout(90_000);
  let postgres: PostgresServer;
  let world: World;

  before(async () => {
    [postgres, world] = await Promise.all([startPostgres(), startWorld()]);
  });
  after(async () => {
    await world?.stop();
    await postgres?.stop();
  });

  describe('a request end to end', () => {
    let databaseUrl: string;
    let running: RunningDesk;
    before(async () => {
      databaseUrl = await postgres.createDatabase();
      running = await startDesk(world, { env: { DATABASE_URL: databaseUrl } });
    });
    after(async () => running?.desk.stop());

    it('files, is approved, exports and delivers the link, with every row in PostgreSQL and no SQLite file', async () => {
      assert.equal(running.desk.storeKind, 'postgres');
      await running.teams.install(PERSON.megan);
      const reference = await fileForMegan(running, world);
      const request = (await running.desk.store.getByReference(reference))!;
      await approveAsMegan(running, world, request.id);

      const link = await world.connector.waitFor(
        (c) => sentTo(personal(PERSON.megan))(c) && actionsOf(cardOf(c)).some((a) => a.type === 'Action.OpenUrl'),
        WAIT,
      );
      const url = actionsOf(cardOf(link)).find((a) => a.type === 'Action.OpenUrl')?.url;
      assert.ok(url, 'the card links the package');
      assert.equal((await fetch(url)).status, 200, 'the link downloads the package');
      await eventually(async () => (await running.desk.store.get(request.id))!.state === RequestState.Delivered, 'the request recorded as delivered');

      // Read from PostgreSQL itself, not through the bot.
      const [row] = await rowsOf(databaseUrl, 'SELECT state FROM requests WHERE reference = $1', [reference]);
      assert.deepEqual(row, { state: RequestState.Delivered });
      const [{ events }] = (await rowsOf(databaseUrl, 'SELECT count(*)::int AS events FROM audit_events WHERE request_id = $1', [request.id])) as [
        { events: number },
      ];
      assert.ok(events >= 4, `the audit trail is in PostgreSQL (${events} events)`);
      const references = await rowsOf(databaseUrl, "SELECT key FROM key_values WHERE value LIKE '%' || $1 || '%'", [PERSON.megan.objectId]);
      assert.ok(references.length > 0, 'conversation references and bot state are in PostgreSQL too');
      assert.equal(existsSync(join(world.dataDir, 'privacy-desk.db')), false, 'no SQLite file was created');
    });
  });

  describe('/readyz for a load balancer', () => {
    it('is 200 while the store and the packages container answer; 503 naming the store when PostgreSQL is gone; /healthz stays 200', async () => {
      // A server of its own, so stopping it leaves the other tests' database alone.
      const own = await startPostgres();
      let running: RunningDesk | undefined;
      try {
        running = await startDesk(world, { env: { DATABASE_URL: await own.createDatabase() } });
        assert.deepEqual(await readyz(running), { status: 200, body: { ready: true } });

        await own.stop();
        const down = await readyz(running);
        assert.deepEqual(down, { status: 503, body: { ready: false, failing: ['store'] } });
        assert.equal((await fetch(`${running.desk.server.url}/healthz`)).status, 200, 'liveness is not readiness');
        assert.ok(
          running.logger.entries.some((e) => e.message === 'not ready' && JSON.stringify(e.fields).includes('"store"')),
          'the reason is in the log',
        );
      } finally {
        await running?.desk.stop();
        await own.stop().catch(() => undefined);
      }
    });

    it('turns 503 ("stopping") the moment the instance drains, and lets the export in flight finish', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let signalStarted!: () => void;
      const started = new Promise<void>((resolve) => (signalStarted = resolve));
      const held = (source: DataSource): DataSource => ({
        id: source.id,
        disclosure: source.disclosure,
        tabular: source.tabular,
        async *records(...args: Parameters<DataSource['records']>) {
          signalStarted();
          await released;
          yield* source.records(...args);
        },
      });
      const running = await startDesk(world, {
        env: { DATABASE_URL: await postgres.createDatabase() },
        overrides: { wrapSources: (sources) => sources.map((s) => (s.id === 'app-telemetry' ? held(s) : s)) },
      });
      try {
        await running.teams.install(PERSON.megan);
        const reference = await fileForMegan(running, world);
        const request = (await running.desk.store.getByReference(reference))!;
        await approveAsMegan(running, world, request.id);
        await started; // the export is under way, held inside a source

        const draining = running.desk.drain(60_000);
        assert.deepEqual(await readyz(running), { status: 503, body: { ready: false, failing: ['stopping'] } });
        assert.equal((await fetch(`${running.desk.server.url}/healthz`)).status, 200, 'HTTP is still served while draining');

        release();
        assert.equal(await draining, true, 'the export in flight finished within the grace');
        const state = (await running.desk.store.get(request.id))!.state;
        assert.ok(state === RequestState.Ready || state === RequestState.Delivered, `the export completed (${state})`);
      } finally {
        release();
        await running.desk.stop();
      }
    });

    it('work still in flight when the grace runs out keeps its lease, which runs out by itself', async () => {
      let signalStarted!: () => void;
      const started = new Promise<void>((resolve) => (signalStarted = resolve));
      const stuck = (source: DataSource): DataSource => ({
        id: source.id,
        disclosure: source.disclosure,
        tabular: source.tabular,
        // An iterator whose first record never comes: the export is stuck until the instance stops.
        records: () => ({
          [Symbol.asyncIterator]: () => ({
            next: () => {
              signalStarted();
              return new Promise<never>(() => undefined);
            },
          }),
        }),
      });
      const databaseUrl = await postgres.createDatabase();
      const running = await startDesk(world, {
        env: { DATABASE_URL: databaseUrl, EXPORT_LEASE_SECONDS: '3600' },
        overrides: { instanceId: 'instance-stopping', wrapSources: (sources) => sources.map((s) => (s.id === 'app-telemetry' ? stuck(s) : s)) },
      });
      let reference: string;
      try {
        await running.teams.install(PERSON.megan);
        reference = await fileForMegan(running, world);
        const request = (await running.desk.store.getByReference(reference))!;
        await approveAsMegan(running, world, request.id);
        await started;
        assert.equal(await running.desk.drain(0), false, 'the grace ran out with the export still running');
      } finally {
        await running.desk.stop();
      }
      const [row] = await rowsOf(databaseUrl, 'SELECT state, export_lease_owner, export_lease_until > now() AS leased FROM requests WHERE reference = $1', [
        reference,
      ]);
      assert.deepEqual(row, { state: RequestState.Exporting, export_lease_owner: 'instance-stopping', leased: true });
    });
  });
});
