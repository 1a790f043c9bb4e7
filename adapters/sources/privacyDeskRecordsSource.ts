import { SourceFailure, type DataSource, type SourceDisclosure, type SourceRecord } from '../../domain/export/dataSource';
import type { ExportRequest, SubjectSnapshot } from '../../domain/requests/exportRequest';
import type { RequestStore } from '../../domain/requests/requestStore';

/**
 * What Privacy Desk itself keeps about the subject: their requests and each request's audit trail.
 * Other people appear only by role ("privacy team", "you", "system"), not by id: the subject's
 * right of access does not extend to staff identifiers.
 */
export class PrivacyDeskRecordsSource implements DataSource {
  readonly tabular = true;
  /** Its records are the request's own history, which grows while the export runs: always read afresh. */
  readonly readEachAttempt = true;
  constructor(
    readonly id: string,
    readonly disclosure: SourceDisclosure,
    private readonly store: RequestStore,
  ) {}

  async *records(subject: SubjectSnapshot, signal: AbortSignal): AsyncIterable<SourceRecord> {
    signal.throwIfAborted();
    for (const request of await this.read(() => this.store.listBySubject(subject.objectId))) {
      signal.throwIfAborted();
      yield describeRequest(request);
      const trail = await this.read(() => this.store.auditTrail(request.id));
      for (const event of trail) {
        signal.throwIfAborted();
        yield {
          recordType: 'audit_event',
          reference: request.reference,
          at: event.at,
          event: event.type,
          by: event.actor.kind === 'system' ? 'system' : event.actor.objectId.toLowerCase() === subject.objectId.toLowerCase() ? 'you' : 'privacy team',
          detail: pickDetail(event.detail),
        };
      }
    }
  }

  /** Store errors become a SourceFailure in our own words: a driver's message is not for a channel card. */
  private async read<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw new SourceFailure(this.id, 'Privacy Desk’s own store could not be read', { cause: error });
    }
  }
}

function describeRequest(request: ExportRequest): SourceRecord {
  return {
    recordType: 'request',
    reference: request.reference,
    at: request.createdAt,
    event: request.state,
    by: request.selfService ? 'you' : 'privacy team',
    detail: {
      regime: request.regime,
      receivedOn: request.receivedOn,
      dueOn: request.dueOn,
      ...(request.declineReason ? { declineReason: request.declineReason } : {}),
    },
  };
}

/** Audit details are ids and codes; the subject id is dropped as redundant, everything else kept. */
function pickDetail(detail: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { subjectId: _subjectId, ...rest } = detail;
  return rest;
}
