import type { ExportRequest } from '../../../domain/requests/exportRequest';

/** Tests fix "today" so days-left wording is stable: the fixture request is due 24 days later. */
export const TODAY = '2026-03-02';

/** The display name an attacker would pick: a Markdown link, bold, and a templating expression. */
export const HOSTILE_NAME = '[click](https://evil.example) **bold** ${request.id}';

/**
 * Expressions naming fields the templates really have (reference, title, subjectName, ...). If a
 * value were evaluated, these would be replaced by other data; `${request.id}` alone would not show
 * it, since the engine writes an unknown path back as the literal "${request.id}".
 */
export const TEMPLATE_PROBE = 'Eve ${reference} ${title} ${subjectName} ${requesterName} ${headline}';

export const SUBJECT_UPN = 'megan.bowen@contoso.example';
export const SUBJECT_MAIL = 'megan.bowen.mail@contoso.example';

export function makeRequest(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return {
    id: 'req-8f3c2a90-5b1e-4d7a-9c6f-0e2d4b6a8c10',
    reference: 'DSR-2026-0007',
    version: 3,
    state: 'awaiting_confirmation',
    regime: 'gdpr',
    deliverTo: 'subject',
    subject: {
      objectId: 'a1b2c3d4-0002-4000-8000-00000000a002',
      displayName: 'Megan Bowen',
      userPrincipalName: SUBJECT_UPN,
      mail: SUBJECT_MAIL,
      department: 'Marketing',
      preferredLanguage: 'en-US',
    },
    requesterId: 'a1b2c3d4-0001-4000-8000-00000000a001',
    selfService: false,
    receivedOn: '2026-02-26',
    dueOn: '2026-03-26',
    exportAttempts: 0,
    createdAt: '2026-02-26T09:00:00.000Z',
    updatedAt: '2026-02-26T09:00:00.000Z',
    ...overrides,
  };
}

export function withSubjectName(request: ExportRequest, displayName: string): ExportRequest {
  return { ...request, subject: { ...request.subject, displayName } };
}

/** The subject's preferred language in the directory; undefined leaves it out, as the directory may. */
export function withPreferredLanguage(request: ExportRequest, preferredLanguage: string | undefined): ExportRequest {
  const { preferredLanguage: _ignored, ...subject } = request.subject;
  return { ...request, subject: preferredLanguage === undefined ? subject : { ...subject, preferredLanguage } };
}

export const SAMPLE_PACKAGE = {
  blobName: 'exports/req-8f3c2a90/DSR-2026-0007.zip',
  sizeBytes: 1_234_567,
  sha256: 'a'.repeat(64),
  fileCount: 7,
  generatedAt: '2026-03-02T10:00:00.000Z',
} as const;

export const SAMPLE_LINK = {
  url: 'https://stprivacydesk.blob.core.windows.net/exports/DSR-2026-0007.zip?sv=2025-01-05&se=2026-03-09T10%3A00%3A00Z&sr=b&sp=r&sig=c2lnbmF0dXJl',
  expiresAt: new Date('2026-03-09T10:00:00.000Z'),
};
