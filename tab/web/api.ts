// The tab's calls to its own server (tab/api/tabApi.ts): every one signed with the Teams SSO token.

/** What the API answers for one request (tab/api/requestViews.ts). */
export interface RequestView {
  readonly reference: string;
  readonly subject: { readonly objectId: string; readonly displayName: string };
  readonly state: string;
  readonly stateLabel: string;
  readonly open: boolean;
  readonly regime: 'gdpr' | 'ccpa';
  readonly receivedOn: string;
  readonly dueOn: string;
  readonly daysLeft?: number;
  readonly declineReason?: string;
  readonly failedSource?: string;
}

/** One line of a request's history, as its subject reads it (domain/requests/subjectTimeline.ts). */
export interface TimelineEntry {
  readonly at: string;
  readonly text: string;
}

export interface Me {
  readonly objectId: string;
  readonly name?: string;
  readonly isPrivacyAdmin: boolean;
}

/** A refusal or failure the page shows as the sentence the server wrote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type TokenSource = () => Promise<string>;

export function getJson<T>(path: string, token: TokenSource): Promise<T> {
  return call<T>('GET', path, token);
}

export function postJson<T>(path: string, token: TokenSource, body?: object): Promise<T> {
  return call<T>('POST', path, token, body);
}

async function call<T>(method: string, path: string, token: TokenSource, body?: object): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${await token()}`, accept: 'application/json' };
  if (body) headers['content-type'] = 'application/json';
  const answer = await fetch(`/api/tab${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const answered = (await answer.json().catch(() => undefined)) as unknown;
  if (!answer.ok) {
    const message = (answered as { error?: { message?: string } } | undefined)?.error?.message;
    throw new ApiError(answer.status, message ?? `Privacy Desk answered ${answer.status}.`);
  }
  return answered as T;
}
