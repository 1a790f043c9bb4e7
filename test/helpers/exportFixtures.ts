import type { DataSource, Recipient, SourceDisclosure, SourceRecord } from '../../domain/export/dataSource';
import type { ExportRequest } from '../../domain/requests/exportRequest';

/** A recipient inside the EEA, for disclosures made up by a test. */
export function recipientInEea(name: string): Recipient {
  return { name, transfer: { thirdCountry: false } };
}

/**
 * A disclosure with every Art. 15 field filled in and consistent (a contract, data the person
 * provided, so portable), for sources made up by a test.
 */
export const testDisclosure: SourceDisclosure = {
  title: 'Test data',
  purposes: ['testing'],
  categories: ['test records'],
  recipients: [recipientInEea('nobody')],
  retention: 'until the test ends',
  legalBasis: { article: '6(1)(b)', text: 'performance of a contract' },
  origin: 'provided by you',
  providedBySubject: 'all',
  portable: true,
  automatedDecisionMaking: { used: false },
  ccpa: { categories: ['identifiers'], sourceCategories: ['you'], businessPurposes: ['testing'], disclosedTo: [], soldTo: [], sharedWith: [] },
};

/** A source made up by a test: its records, and a full disclosure titled with its id. */
export function testSource(id: string, records: () => AsyncIterable<SourceRecord>, { tabular = true } = {}): DataSource {
  return { id, disclosure: { ...testDisclosure, title: id }, tabular, records };
}

/** A request in the exporting state, as the worker hands it to writePackage. */
export function exportingRequest(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return {
    id: '22222222-2222-4222-8222-222222222222',
    reference: 'DSR-2026-0077',
    version: 3,
    state: 'exporting',
    regime: 'gdpr',
    subject: { objectId: 'a1b2c3d4-0002-4000-8000-00000000a002', displayName: 'Megan Bowen', userPrincipalName: 'meganb@example.com' },
    requesterId: 'a1b2c3d4-0001-4000-8000-00000000a001',
    selfService: false,
    deliverTo: 'subject',
    receivedOn: '2026-01-31',
    dueOn: '2026-02-28',
    exportAttempts: 1,
    createdAt: '2026-01-31T09:00:00.000Z',
    updatedAt: '2026-01-31T09:00:00.000Z',
    ...overrides,
  };
}
