/**
 * Moves Privacy Desk's SQLite store into an empty PostgreSQL database without losing history:
 * requests, the audit log with its hashes, the outbox, scheduled runs, bot state and conversation
 * references (adapters/store/storeCopy.ts says how, and what it checks).
 *
 *   npm run store:copy -- --from .data/privacy-desk.db --to postgres://privacy_desk@db.example.net:5432/privacy_desk
 *
 * The password comes from the URL or, when the URL has none, from PGPASSWORD. Stop the bot before
 * copying: the copy reads one consistent snapshot, so anything written after it starts stays behind.
 * Exits 0 with a one-line summary on stdout, or 1 with one sentence on stderr (nothing copied). It
 * never prints the password.
 */
import { parseArgs } from 'node:util';
import { copySqliteToPostgres, describeCopy } from '../adapters/store/storeCopy';

const USAGE = 'Use: npm run store:copy -- --from <SQLite file> --to postgres://user@host:5432/database (the password in the URL or in PGPASSWORD).';

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/** The --to URL, checked here so that a mistake is named by its flag; the URL itself is never repeated (it may hold a password). */
function postgresUrl(to: string): URL {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new Error(`--to is not a URL. ${USAGE}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`--to is not a postgres:// URL. ${USAGE}`);
  return url;
}

function options(): { from: string; to: string } {
  let values: { from?: string; to?: string };
  try {
    ({ values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch {
    // parseArgs' own message quotes what it did not understand, which may be a URL with its password.
    throw new Error(`store:copy takes --from and --to and nothing else. ${USAGE}`);
  }
  if (!values.from || !values.to) throw new Error(`store:copy needs both --from and --to. ${USAGE}`);
  return { from: values.from, to: values.to };
}

async function main(): Promise<string> {
  const { from, to } = options();
  const pgPassword = process.env.PGPASSWORD;
  const inUrl = postgresUrl(to).password !== '';
  const report = await copySqliteToPostgres({
    from,
    to: { url: to, ...(!inUrl && pgPassword ? { password: async () => pgPassword } : {}) },
  });
  return describeCopy(report);
}

main().then(
  (summary) => {
    process.stdout.write(`${summary}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${sentence(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 1;
  },
);
