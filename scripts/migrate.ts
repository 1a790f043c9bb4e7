/**
 * Applies pending schema migrations to the PostgreSQL database in DATABASE_URL, then says what it
 * did. The bot migrates on start too (under the same advisory lock); this command lets a deployment
 * migrate first, as its own step, and see the outcome before any instance starts.
 *
 *   DATABASE_URL=postgres://user:password@host:5432/privacy_desk npm run migrate
 *   DATABASE_URL=postgres://<managed-identity-role>@host:5432/privacy_desk DATABASE_AUTH=entra npm run migrate
 *
 * Exits 0 when the database is up to date (whether or not anything was applied), 1 with one sentence
 * on stderr otherwise. It never prints the URL's password.
 */
import { azureCredential } from '../adapters/azure/credential';
import { entraTokenPassword } from '../adapters/store/postgres/entraTokenPassword';
import { PostgresDatabase } from '../adapters/store/postgres/postgresDatabase';

const USAGE_SHAPE = 'postgres://user@host:5432/database';

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

async function main(): Promise<string> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) throw new Error(`DATABASE_URL is not set; set it to the PostgreSQL database to migrate, as in ${USAGE_SHAPE}.`);
  const auth = process.env.DATABASE_AUTH?.trim() || 'password';
  if (auth !== 'password' && auth !== 'entra') throw new Error(`DATABASE_AUTH is "${auth}"; it must be password or entra.`);

  // Opening migrates: under the advisory lock, each pending migration in its own transaction.
  const database = await PostgresDatabase.open({ url, ...(auth === 'entra' ? { password: entraTokenPassword(azureCredential()) } : {}) });
  await database.close();
  const { applied, version } = database.migration;
  return applied.length === 0
    ? `The database is already up to date, at version ${version}.`
    : `Applied ${applied.join(', ')}. The database is at version ${version}.`;
}

main().then(
  (report) => {
    process.stdout.write(`${report}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${sentence(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 1;
  },
);
