import type { ExportRequest } from './exportRequest';

/**
 * The parts of a request that are the privacy team's working record about a person: the intake note,
 * the identity verification note and who handles it. Only a privacy admin reads them, in the bot's
 * status card and in the tab alike; this is the one place that says so.
 */
export interface InternalParts {
  readonly intakeNote?: string;
  readonly identityVerification?: string;
  readonly assignee?: { readonly objectId: string; readonly displayName: string };
}

/** The internal parts a reader may see: all that are recorded for a privacy admin, none for anyone else. */
export function internalPartsFor(request: ExportRequest, readerIsAdmin: boolean): InternalParts {
  if (!readerIsAdmin) return {};
  const intakeNote = request.intakeNote?.trim();
  const identityVerification = request.identityVerification?.trim();
  return {
    ...(intakeNote ? { intakeNote } : {}),
    ...(identityVerification ? { identityVerification } : {}),
    ...(request.assignee ? { assignee: request.assignee } : {}),
  };
}
