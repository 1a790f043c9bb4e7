import { join } from 'node:path';
import { JsonFileDirectory, readDemoDirectoryFile } from '../../adapters/directory/jsonFileDirectory';
import { SqliteDatabase } from '../../adapters/store/sqlite/sqliteDatabase';
import { SqliteRequestStore } from '../../adapters/store/sqlite/sqliteRequestStore';
import { userActor } from '../../domain/actor';
import { FixedClock } from '../support/fixedClock';
import { ConfiguredAdmins } from '../../domain/policy/adminPolicy';
import { RequestService } from '../../domain/requests/requestService';

export const DEMO_DIRECTORY_FILE = join(__dirname, '../../local/demo/directory.json');

/** The demo people, by role in the tests. */
export const PEOPLE = {
  alex: userActor('a1b2c3d4-0001-4000-8000-00000000a001'), // privacy admin
  megan: userActor('a1b2c3d4-0002-4000-8000-00000000a002'),
  adele: userActor('a1b2c3d4-0003-4000-8000-00000000a003'),
  isaiah: userActor('a1b2c3d4-0004-4000-8000-00000000a004'),
  grady: userActor('a1b2c3d4-0007-4000-8000-00000000a007'), // disabled
  joni: userActor('a1b2c3d4-0008-4000-8000-00000000a008'), // guest
  privacyTeamGroup: 'b7c8d9e0-0001-4000-8000-00000000b001',
} as const;

export { FixedClock };

/** The domain on a real SQLite store (in memory) and the demo directory. */
export async function domainFixture(clock = new FixedClock(new Date('2026-01-31T09:00:00Z'))) {
  const db = await SqliteDatabase.open(':memory:');
  const store = new SqliteRequestStore(db, clock);
  const directoryFile = await readDemoDirectoryFile(DEMO_DIRECTORY_FILE);
  const directory = new JsonFileDirectory(directoryFile);
  const requests = new RequestService({
    store,
    directory,
    admins: new ConfiguredAdmins(directoryFile.admins),
    clock,
    timeZone: 'Europe/Berlin',
    filingsPerHour: 3,
    recentWindowDays: 90,
  });
  const subject = async (query: string) => {
    const found = await directory.lookup(query);
    if (found.kind !== 'user') throw new Error(`no demo user ${query}`);
    return found.user;
  };
  return { db, store, directory, requests, clock, subject, close: () => db.close() };
}
