import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, SourceDisclosure } from '../../../domain/export/dataSource';
import { COVER_LETTER_HTML, COVER_LETTER_MARKDOWN } from '../../../domain/export/packageLayout';
import { writePackage } from '../../../domain/export/packageWriter';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { exportingRequest } from '../../helpers/exportFixtures';
import { MemoryBlockUpload } from '../../helpers/memoryBlockUpload';
import { unzip } from '../../helpers/unzip';

const disclosure: SourceDisclosure = {
  title: 'Directory profile',
  purposes: ['running the organisation'],
  categories: ['contact details'],
  recipients: [{ name: 'IT department', transfer: { thirdCountry: false } }],
  retention: 'while you work here',
  legalBasis: { article: '6(1)(b)', text: 'the employment contract' },
  origin: 'HR',
  providedBySubject: 'none',
  portable: false,
  automatedDecisionMaking: { used: false },
  ccpa: {
    categories: ['identifiers'],
    sourceCategories: ['Human resources'],
    businessPurposes: ['Managing your employment'],
    disclosedTo: [],
    soldTo: [],
    sharedWith: [],
  },
};

const profile: DataSource = {
  id: 'directory-profile',
  tabular: true,
  disclosure,
  records: async function* () {
    yield { displayName: 'Megan Bowen', jobTitle: 'Marketing Manager' };
  },
};

describe('a CCPA request’s package', () => {
  let spoolDirectory: string;
  beforeEach(async () => {
    spoolDirectory = await mkdtemp(join(tmpdir(), 'privacy-desk-ccpa-package-test-'));
  });
  afterEach(() => rm(spoolDirectory, { recursive: true, force: true }));

  async function letters(request: ExportRequest) {
    const upload = new MemoryBlockUpload();
    await writePackage(
      {
        request,
        sources: [profile],
        controller: { name: 'Contoso', contact: 'privacy@example.com', supervisoryAuthority: 'the Irish Data Protection Commission' },
        timeZone: 'UTC',
        generatedAt: new Date('2026-12-05T10:00:00Z'),
        signal: new AbortController().signal,
        spoolDirectory,
      },
      upload,
    );
    const files = await unzip(upload.committed!);
    return { markdown: files.get(COVER_LETTER_MARKDOWN)!.toString(), html: files.get(COVER_LETTER_HTML)!.toString() };
  }

  it('carries the CCPA answer, in Markdown and HTML, and no GDPR letter', async () => {
    const { markdown, html } = await letters(exportingRequest({ regime: 'ccpa', receivedOn: '2026-11-30', dueOn: '2027-01-14' }));
    for (const letter of [markdown, html]) {
      assert.match(letter, /California Consumer Privacy Act/);
      assert.match(letter, /Categories of personal information: Identifiers/);
      assert.match(letter, /from Sun 30 Nov 2025 to Sat 5 Dec 2026/);
      assert.doesNotMatch(letter, /GDPR|legal basis|Art\. 20|Irish Data Protection/);
    }
    assert.match(markdown, /^# Your personal information — DSR-2026-0077$/m);
    assert.match(html, /<h1>Your personal information — DSR-2026-0077<\/h1>/);
  });

  it('still carries the Art. 15 letter for a GDPR request', async () => {
    const { markdown } = await letters(exportingRequest({ regime: 'gdpr' }));
    assert.match(markdown, /GDPR/);
    assert.doesNotMatch(markdown, /California Consumer Privacy Act/);
  });
});
