import { readFile } from 'node:fs/promises';
import { JsonFileDirectory, readDemoDirectoryFile } from '../../../adapters/directory/jsonFileDirectory';
import { GraphDirectory } from '../../../adapters/graph/graphDirectory';
import { DirectoryProfileSource } from '../../../adapters/sources/directoryProfileSource';
import type { SubjectSnapshot } from '../../../domain/requests/exportRequest';
import type { SourceDisclosure } from '../../../domain/export/dataSource';
import { dataSourceContract } from '../../contracts/dataSource.contract';
import { recipientInEea, testDisclosure } from '../../helpers/exportFixtures';
import { DEMO_DIRECTORY_FILE, PEOPLE } from '../../helpers/domainFixture';
import { FAKE_IDS, startFakeGraph, type FakeGraph } from '../../support/fakeGraph';
import { testGraphClient } from '../graph/graphTestKit';

const disclosure = {
  title: 'Your directory profile',
  purposes: ['running your work account'],
  categories: ['name', 'work contact details', 'job details', 'group memberships'],
  recipients: [recipientInEea('IT administrators')],
  retention: 'while your account exists, then 30 days',
  legalBasis: { article: '6(1)(b)', text: 'employment contract' },
  origin: 'your employer’s directory (Microsoft Entra ID)',
  providedBySubject: { fields: ['preferredLanguage'] },
  portable: true,
  automatedDecisionMaking: { used: false },
  ccpa: testDisclosure.ccpa,
} satisfies SourceDisclosure;

const megan: SubjectSnapshot = { objectId: FAKE_IDS.megan, displayName: 'Megan Bowen', userPrincipalName: 'meganb@example.com', mail: 'meganb@example.com' };
const adele: SubjectSnapshot = { objectId: FAKE_IDS.adele, displayName: 'Adele Vance', userPrincipalName: 'adelev@example.com', mail: 'adelev@example.com' };

describe('DirectoryProfileSource', function () {
  // The demo directory (local mode): the profile is the user's entry in the file, as written there.
  // It lives in memory once read, so it cannot be broken: the failure case is skipped for it.
  dataSourceContract('DirectoryProfileSource (demo JSON directory)', async () => {
    const directory = new JsonFileDirectory(await readDemoDirectoryFile(DEMO_DIRECTORY_FILE));
    const raw = JSON.parse(await readFile(DEMO_DIRECTORY_FILE, 'utf8')) as { users: Array<Record<string, unknown>> };
    const entry = raw.users.find((u) => u.objectId === PEOPLE.megan.objectId)!;
    return {
      source: new DirectoryProfileSource('directory-profile', disclosure, directory),
      subject: megan,
      expected: [entry],
      otherSubject: adele,
      teardown: async () => {},
    };
  });

  // Production's directory: Microsoft Graph (the fake, over https, through the real client).
  describe('on Microsoft Graph', function () {
    let fake: FakeGraph;

    before(async function () {
      fake = await startFakeGraph();
    });

    after(async function () {
      await fake?.close();
    });

    dataSourceContract('DirectoryProfileSource (fake Microsoft Graph)', async () => {
      fake.reset();
      const directory = new GraphDirectory({ client: testGraphClient(fake, { maxRetries: 1 }).client });
      return {
        source: new DirectoryProfileSource('directory-profile', disclosure, directory),
        subject: megan,
        // Adele is chosen as the other person because she is not Megan's manager: the profile names
        // the manager (see the report on this suite).
        expected: [
          {
            objectId: FAKE_IDS.megan,
            displayName: 'Megan Bowen',
            userPrincipalName: 'meganb@example.com',
            mail: 'meganb@example.com',
            department: 'Marketing',
            jobTitle: 'Marketing Manager',
            preferredLanguage: 'en-US',
            accountEnabled: true,
            userType: 'Member',
            manager: { id: FAKE_IDS.patti, displayName: 'Patti Fernandez' },
            groups: ['All Staff', 'Marketing', 'Privacy Team'],
            licenses: ['EMS', 'ENTERPRISEPACK'],
          },
        ],
        otherSubject: adele,
        // Graph answers 500 to everything, after the client's retry.
        breakIt: async () => {
          fake.failNext(500, 1000);
        },
        teardown: async () => {
          fake.reset();
        },
      };
    });
  });
});
