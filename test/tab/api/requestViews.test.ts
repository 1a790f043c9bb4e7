import { strict as assert } from 'node:assert';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { RequestState } from '../../../domain/requests/lifecycle';
import { requestView } from '../../../tab/api/requestViews';

const TODAY = '2026-03-10';

function request(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return {
    id: '9a0b1c2d-0000-4000-8000-000000000001',
    reference: 'DSR-2026-0007',
    version: 3,
    state: RequestState.AwaitingConfirmation,
    regime: 'gdpr',
    subject: { objectId: 'a1b2c3d4-0002-4000-8000-00000000a002', displayName: 'Megan Bowen', userPrincipalName: 'meganb@example.com' },
    requesterId: 'a1b2c3d4-0001-4000-8000-00000000a001',
    selfService: false,
    receivedOn: '2026-03-01',
    dueOn: '2026-04-01',
    deliverTo: 'subject',
    exportAttempts: 0,
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    intakeNote: 'Asked by phone.',
    identityVerification: 'Called back on the HR number.',
    assignee: { objectId: 'a1b2c3d4-0001-4000-8000-00000000a001', displayName: 'Alex Wilber' },
    ...overrides,
  } as ExportRequest;
}

describe('requestView: a request as the tab’s API shows it', () => {
  it('gives a data subject the request as it stands, and none of the privacy team’s notes', () => {
    const view = requestView(request(), TODAY, false);
    assert.deepEqual(view, {
      reference: 'DSR-2026-0007',
      subject: { objectId: 'a1b2c3d4-0002-4000-8000-00000000a002', displayName: 'Megan Bowen' },
      state: RequestState.AwaitingConfirmation,
      stateLabel: 'Awaiting the data subject’s confirmation',
      open: true,
      regime: 'gdpr',
      receivedOn: '2026-03-01',
      dueOn: '2026-04-01',
      daysLeft: 22,
    });
  });

  it('gives a privacy admin the internal notes as well', () => {
    assert.deepEqual(requestView(request(), TODAY, true).internal, {
      intakeNote: 'Asked by phone.',
      identityVerification: 'Called back on the HR number.',
      assignee: { objectId: 'a1b2c3d4-0001-4000-8000-00000000a001', displayName: 'Alex Wilber' },
    });
    assert.equal(requestView(request({ intakeNote: '  ', identityVerification: undefined, assignee: undefined }), TODAY, true).internal, undefined);
  });

  it('never carries the UPN, the package, a link, the failure’s text or anything it does not name', () => {
    const failed = request({
      state: RequestState.Failed,
      failure: { source: 'app-telemetry', reason: 'connection to db-7.internal refused' },
      package: { blobName: 'exports/x.zip', sizeBytes: 1, sha256: 'ab', fileCount: 3, generatedAt: '2026-03-02T00:00:00.000Z' },
    } as Partial<ExportRequest>);
    const text = JSON.stringify(requestView(failed, TODAY, true));
    for (const secret of ['meganb@example.com', 'exports/x.zip', 'db-7.internal', 'sha256']) assert.ok(!text.includes(secret), secret);
    assert.equal(requestView(failed, TODAY, false).failedSource, 'app-telemetry');
  });

  it('counts days only while the request is open, and shows a decline’s own reason', () => {
    const declined = requestView(request({ state: RequestState.Declined, declineReason: ' Not now. ' }), TODAY, false);
    assert.equal(declined.open, false);
    assert.equal(declined.daysLeft, undefined);
    assert.equal(declined.declineReason, 'Not now.');
    assert.equal(requestView(request({ dueOn: '2026-03-05' }), TODAY, false).daysLeft, -5, 'overdue');
  });
});
