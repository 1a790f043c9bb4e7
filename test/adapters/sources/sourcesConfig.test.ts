import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSources, readSourcesFile, type SourceDependencies } from '../../../adapters/sources/sourcesConfig';

const SHIPPED = join(__dirname, '../../../config/sources.json');
const DIR = mkdtempSync(join(tmpdir(), 'pd-sources-config-'));

/**
 * The sources file as these tests edit it before validation: only the parts they touch, with every
 * part a test deletes optional and every part a test replaces with a wrong shape `unknown`.
 */
interface RawTransfer {
  thirdCountry?: boolean;
  destination?: unknown;
  safeguards?: string[];
  safeguardDetail?: string;
  copyAvailableAt?: string;
}

interface RawRecipient {
  name: string;
  transfer?: RawTransfer;
}

interface RawTranslation {
  title?: string;
  purposes?: string[];
}

interface RawCcpa {
  categories?: string[];
  sourceCategories?: string[];
  businessPurposes?: string[];
  soldTo?: string[];
}

interface RawDisclosure {
  recipients: Array<RawRecipient | string>;
  legalBasis?: unknown;
  portable?: boolean;
  providedBySubject?: unknown;
  automatedDecisionMaking?: unknown;
  translations?: Record<string, RawTranslation>;
  ccpa?: RawCcpa;
}

interface RawSourcesFile {
  sources: Array<{ id: string; disclosure: RawDisclosure }>;
  ccpa?: unknown;
}

/** The recipient a test edits; every recipient in the shipped file is written out as an object. */
function recipient(disclosure: RawDisclosure, index: number): RawRecipient {
  const found = disclosure.recipients[index];
  assert.ok(typeof found === 'object', `recipient ${index} is an object in the shipped file`);
  return found;
}

/** The transfer of a recipient a test edits; every recipient in the shipped file declares one. */
function transfer(disclosure: RawDisclosure, index: number): RawTransfer {
  const found = recipient(disclosure, index).transfer;
  assert.ok(found, `recipient ${index} declares its transfer in the shipped file`);
  return found;
}

type Edit = (file: RawSourcesFile, byId: (id: string) => RawDisclosure) => void;

/** The shipped demo file, changed by `edit`, written where readSourcesFile can read it. */
function variant(edit: Edit): string {
  const file = JSON.parse(readFileSync(SHIPPED, 'utf8')) as RawSourcesFile;
  edit(file, (id) => {
    const source = file.sources.find((s) => s.id === id);
    assert.ok(source, `the shipped file has the source "${id}"`);
    return source.disclosure;
  });
  const path = join(DIR, `sources-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(file));
  return path;
}

async function refusal(path: string): Promise<string> {
  try {
    await readSourcesFile(path);
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail('the file was accepted');
}

const NO_DEPENDENCIES = { blobService: { getContainerClient: () => ({}) } } as unknown as SourceDependencies;

describe('the sources file', () => {
  describe('as shipped (the demo configuration)', () => {
    it('validates', async () => {
      const file = await readSourcesFile(SHIPPED);
      assert.deepEqual(
        file.sources.map((s) => s.id),
        ['directory-profile', 'privacy-requests', 'app-telemetry'],
      );
    });

    it('does not tag telemetry kept on legitimate interest as portable', async () => {
      const telemetry = (await readSourcesFile(SHIPPED)).sources.find((s) => s.id === 'app-telemetry')!.disclosure;
      assert.equal(telemetry.legalBasis.article, '6(1)(f)');
      assert.equal(telemetry.portable, false);
    });

    it('declares Microsoft as a recipient in every source, with its transfer to the United States and its safeguards', async () => {
      for (const { id, disclosure } of (await readSourcesFile(SHIPPED)).sources) {
        const microsoft = disclosure.recipients.find((r) => r.name.startsWith('Microsoft Ireland Operations Ltd'));
        assert.ok(microsoft?.transfer.thirdCountry, `${id}: Microsoft transfers`);
        assert.deepEqual(microsoft.transfer.destination, { country: 'US' });
        assert.deepEqual(microsoft.transfer.safeguards, ['adequacy-decision', 'standard-contractual-clauses']);
        assert.match(
          microsoft.transfer.safeguardDetail,
          /Microsoft Corporation.*Data Privacy Framework.*2023\/1795 of 10 July 2023.*2021\/914.*Data Protection Addendum/,
        );
        assert.equal(
          microsoft.transfer.copyAvailableAt,
          'https://www.microsoft.com/licensing/docs/view/Microsoft-Products-and-Services-Data-Protection-Addendum-DPA',
        );
      }
    });

    it('translates the directory profile into German and French and leaves one source in English', async () => {
      const sources = (await readSourcesFile(SHIPPED)).sources;
      const profile = sources.find((s) => s.id === 'directory-profile')!.disclosure;
      assert.ok(profile.translations?.de?.title && profile.translations.fr?.title);
      assert.ok(sources.some((s) => s.disclosure.translations === undefined));
    });
  });

  describe('refuses, naming the source and saying what to write', () => {
    const cases: Array<[string, Edit, RegExp]> = [
      [
        'a recipient that does not say whether it transfers',
        (_, d) => delete recipient(d('privacy-requests'), 0).transfer,
        /source "privacy-requests" \(disclosure\.recipients\[0\]\.transfer\): say whether this recipient receives the data outside the EEA/,
      ],
      [
        'a recipient given as a bare name',
        (_, d) => (d('privacy-requests').recipients[0] = 'The privacy team'),
        /source "privacy-requests" \(disclosure\.recipients\[0\]\): write each recipient as \{ "name"/,
      ],
      [
        'a transfer without a destination',
        (_, d) => delete transfer(d('directory-profile'), 1).destination,
        /source "directory-profile" \(disclosure\.recipients\[1\]\.transfer\.destination\): write where the data goes/,
      ],
      [
        'a transfer without safeguards',
        (_, d) => (transfer(d('directory-profile'), 1).safeguards = []),
        /source "directory-profile" .*name at least one safeguard/,
      ],
      [
        'a transfer on an unknown safeguard',
        (_, d) => (transfer(d('directory-profile'), 1).safeguards = ['privacy-shield']),
        /source "directory-profile" \(disclosure\.recipients\[1\]\.transfer\.safeguards\[0\]\): write a safeguard of Chapter V GDPR/,
      ],
      [
        'a transfer without its safeguard detail',
        (_, d) => delete transfer(d('directory-profile'), 1).safeguardDetail,
        /source "directory-profile" .*safeguardDetail\): write which decision, clauses, rules or derogation/,
      ],
      [
        'a transfer without where to get a copy',
        (_, d) => delete transfer(d('app-telemetry'), 1).copyAvailableAt,
        /source "app-telemetry" \(disclosure\.recipients\[1\]\.transfer\.copyAvailableAt\): write where a copy of the safeguards can be obtained/,
      ],
      [
        'a source that does not declare automated decision-making',
        (_, d) => delete d('app-telemetry').automatedDecisionMaking,
        /source "app-telemetry" \(disclosure\.automatedDecisionMaking\): declare automated decision-making \(Art\. 15\(1\)\(h\) GDPR\)/,
      ],
      [
        'automated decision-making as the old free text',
        (_, d) => (d('app-telemetry').automatedDecisionMaking = 'none'),
        /source "app-telemetry" .*declare automated decision-making/,
      ],
      [
        'automated decision-making used without its logic',
        (_, d) => (d('app-telemetry').automatedDecisionMaking = { used: true, significance: 's', consequences: 'c' }),
        /source "app-telemetry" .*logic\): write meaningful information about the logic involved/,
      ],
      [
        'a legal basis as free text',
        (_, d) => (d('app-telemetry').legalBasis = 'Art. 6(1)(f) GDPR'),
        /source "app-telemetry" \(disclosure\.legalBasis\): write the legal basis as \{ "article": "6\(1\)\(b\)"/,
      ],
      [
        'a portable tag on legitimate interest',
        (_, d) => (d('app-telemetry').portable = true),
        /source "app-telemetry" \(disclosure\.portable\): it is tagged portable, but its legal basis is Art\. 6\(1\)\(f\).*write "portable": false/,
      ],
      [
        'a portable tag on data the person did not provide',
        (_, d) => Object.assign(d('privacy-requests'), { legalBasis: { article: '6(1)(b)', text: 'contract' }, portable: true }),
        /source "privacy-requests" \(disclosure\.portable\): it is tagged portable, but "providedBySubject" is "none"/,
      ],
      [
        'no portable tag where Art. 20 applies',
        (_, d) => (d('directory-profile').portable = false),
        /source "directory-profile" \(disclosure\.portable\): Art\. 20 applies to it .*write "portable": true/,
      ],
      [
        'a source that does not say what the person provided',
        (_, d) => delete d('app-telemetry').providedBySubject,
        /source "app-telemetry" \(disclosure\.providedBySubject\): say which data the person provided/,
      ],
      [
        'a translation that does not line up with the English',
        (_, d) => (d('directory-profile').translations!.de.purposes = ['nur einer']),
        /source "directory-profile" \(disclosure\.translations\.de\.purposes\): the de translation has 1 entries and the English 2/,
      ],
      [
        'a translation into a language letters are not written in',
        (_, d) => (d('directory-profile').translations!.es = { title: 'Perfil' }),
        /source "directory-profile" \(disclosure\.translations\)/,
      ],
      [
        'a source without its CCPA block',
        (_, d) => delete d('app-telemetry').ccpa,
        /source "app-telemetry" \(disclosure\.ccpa\): write what a CCPA letter says about this source/,
      ],
      [
        'a CCPA category the law does not name',
        (_, d) => (d('app-telemetry').ccpa!.categories = ['telemetry']),
        /source "app-telemetry" \(disclosure\.ccpa\.categories\[0\]\): write a category the CCPA names: one of "identifiers"/,
      ],
      [
        'a CCPA block without a source category',
        (_, d) => (d('app-telemetry').ccpa!.sourceCategories = []),
        /source "app-telemetry" .*name at least one category of sources/,
      ],
      [
        'a CCPA block without a business purpose',
        (_, d) => (d('app-telemetry').ccpa!.businessPurposes = []),
        /source "app-telemetry" .*name at least one business purpose/,
      ],
      [
        'a CCPA block that leaves out "soldTo"',
        (_, d) => delete d('app-telemetry').ccpa!.soldTo,
        /source "app-telemetry" \(disclosure\.ccpa\.soldTo\): write a list of the categories of third parties it is sold to \(\[\] if not sold\)/,
      ],
      ['a covered period that is not a date', (file) => (file.ccpa = { coveredSince: '2026-02-30' }), /ccpa\.coveredSince: write a date as "YYYY-MM-DD"/],
    ];
    for (const [what, edit, expected] of cases) {
      it(what, async () => {
        const message = await refusal(variant(edit));
        assert.match(message, /^The sources file .*sources-.*\.json is not valid:/);
        assert.match(message, expected);
      });
    }

    it('every problem at once, one line each', async () => {
      const message = await refusal(
        variant((_, d) => {
          d('app-telemetry').portable = true;
          delete d('privacy-requests').automatedDecisionMaking;
        }),
      );
      assert.equal(message.split('\n').filter((line) => line.startsWith('✖ ')).length, 2);
    });
  });

  it('accepts an Art. 49 derogation without a copy (there is no document to copy)', async () => {
    const path = variant((_, d) => {
      recipient(d('app-telemetry'), 1).transfer = {
        thirdCountry: true,
        destination: { internationalOrganisation: 'World Health Organization' },
        safeguards: ['art-49-derogation'],
        safeguardDetail: 'important reasons of public interest (Art. 49(1)(d))',
      };
    });
    await readSourcesFile(path);
  });

  it('hands the CCPA letter its covered period with the controller, when the file sets one', async () => {
    const set = buildSources(await readSourcesFile(variant((file) => (file.ccpa = { coveredSince: '2026-01-01' }))), NO_DEPENDENCIES);
    assert.equal(set.controller.ccpaCoveredSince, '2026-01-01');
    const unset = buildSources(await readSourcesFile(SHIPPED), NO_DEPENDENCIES);
    assert.equal(unset.controller.ccpaCoveredSince, undefined);
    assert.equal(unset.controller.name, 'Contoso Ltd (demo)');
  });
});
