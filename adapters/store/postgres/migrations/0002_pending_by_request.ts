/**
 * A request's unsettled messages, found without a scan: the outbox claim hands out none of a
 * request's messages while one of them is leased (docs/decisions/0020).
 */
export const sql = `
  CREATE INDEX notifications_pending_by_request ON notifications (request_id) WHERE status = 'pending';
`;
