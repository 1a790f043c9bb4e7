/**
 * The two ways a Microsoft Graph call fails, as errors a person can act on.
 *
 * Messages are our own sentences, never Graph's: Graph's error text echoes what was asked for
 * ("Resource 'megan@contoso.com' does not exist…"), and these errors end up in logs and chat replies,
 * which must carry ids and codes only (DESIGN: "logs carry ids, never names, addresses or file contents").
 */

/** Privacy Desk could not get a token for Graph: a configuration problem, not a Graph outage. */
export class GraphCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = GRAPH_CREDENTIAL_ERROR;
  }
}
export const GRAPH_CREDENTIAL_ERROR = 'GraphCredentialError';

/** Graph answered with an error status (after the client's retries), or could not be reached. */
export class GraphRequestError extends Error {
  constructor(
    /** HTTP status; -1 when Graph could not be reached at all. */
    readonly status: number,
    /** Graph's error code (e.g. "Request_ResourceNotFound"), when it gave one. */
    readonly code: string | undefined,
    /** Graph's request-id, for a support ticket with Microsoft. */
    readonly requestId: string | undefined,
    operation: string,
  ) {
    super(
      status < 0
        ? `Microsoft Graph could not be reached while ${operation}${code ? ` (${code})` : ''}.`
        : `Microsoft Graph answered ${status}${code ? ` ${code}` : ''} while ${operation}${requestId ? ` (request-id ${requestId})` : ''}.`,
    );
    this.name = 'GraphRequestError';
  }
}

/** The shape the Graph client rejects with (GraphError), read structurally so no SDK type leaks out. */
interface GraphErrorLike {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  requestId?: unknown;
  headers?: { get?(name: string): string | null } | undefined;
}

/** The HTTP status of a failed Graph call, or undefined when the error is not from Graph. */
export function graphStatus(error: unknown): number | undefined {
  const status = (error as GraphErrorLike | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Turns whatever the Graph client threw into a GraphCredentialError or a GraphRequestError.
 * The client wraps a failing credential into its own GraphError (status -1) and keeps only the
 * original name and message, so a credential failure is recognised by the name we gave it.
 */
export function toGraphFailure(error: unknown, operation: string): GraphCredentialError | GraphRequestError {
  if (error instanceof GraphCredentialError || error instanceof GraphRequestError) return error;
  const e = (error ?? {}) as GraphErrorLike;
  if (e.code === GRAPH_CREDENTIAL_ERROR && typeof e.message === 'string') return new GraphCredentialError(e.message);
  const status = graphStatus(error) ?? -1;
  const code = typeof e.code === 'string' && e.code ? e.code : undefined;
  const requestId = (typeof e.requestId === 'string' && e.requestId) || e.headers?.get?.('request-id') || undefined;
  return new GraphRequestError(status, code, requestId, operation);
}

/** Log fields for a failure: status, code and request id — never the message (see above). */
export function failureFields(failure: GraphCredentialError | GraphRequestError): Record<string, unknown> {
  return failure instanceof GraphRequestError
    ? { status: failure.status, code: failure.code, requestId: failure.requestId }
    : { error: failure.name, reason: failure.message }; // our own sentence: names settings, never people
}
