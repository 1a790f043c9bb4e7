import { Body1, Button, MessageBar, MessageBarBody, MessageBarTitle, Title2 } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError, type TokenSource } from './api';

export interface LocalPerson {
  readonly objectId: string;
  readonly name: string;
}

/** Local mode's people, or undefined where there is no local mode (production: the path does not exist). */
export async function localPeople(): Promise<readonly LocalPerson[] | undefined> {
  const answer = await fetch('/api/tab/local/people', { headers: { accept: 'application/json' } });
  if (!answer.ok) return undefined;
  return ((await answer.json()) as { people: LocalPerson[] }).people;
}

async function signInAs(person: LocalPerson): Promise<string> {
  const answer = await fetch(`/api/tab/local/sign-in?as=${encodeURIComponent(person.objectId)}`, { method: 'POST' });
  const body = (await answer.json()) as { token?: string; error?: { message?: string } };
  if (!answer.ok || !body.token) throw new ApiError(answer.status, body.error?.message ?? 'Local sign-in failed.');
  return body.token;
}

/** Says, on every screen, that this is not Teams and that anyone at this computer can be anyone. */
export function LocalModeBanner({ person }: { readonly person?: LocalPerson }) {
  return (
    <MessageBar intent="warning" role="note">
      <MessageBarBody>
        <MessageBarTitle>Local mode</MessageBarTitle>
        Not Teams: anyone at this computer can pick any demo person.{person ? ` You are ${person.name}.` : ''}
      </MessageBarBody>
    </MessageBar>
  );
}

/** Pick a demo person; the server answers a token for them, which the page then uses as Teams' own. */
export function LocalSignIn({
  people,
  onSignedIn,
}: {
  readonly people: readonly LocalPerson[];
  readonly onSignedIn: (person: LocalPerson, token: TokenSource) => void;
}) {
  const [problem, setProblem] = useState<string | undefined>();
  const pick = (person: LocalPerson) => {
    signInAs(person).then(
      (token) => onSignedIn(person, () => Promise.resolve(token)),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <main aria-labelledby="local-sign-in-title">
      <LocalModeBanner />
      <Title2 as="h1" id="local-sign-in-title" block>
        Who are you?
      </Title2>
      <Body1 as="p" block>
        In Teams, Privacy Desk knows who you are. Here, pick one of the demo people.
      </Body1>
      {problem ? (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ) : null}
      <ul aria-label="Demo people" style={{ listStyle: 'none', padding: 0, display: 'flex', flexWrap: 'wrap', gap: '8px' }}>
        {people.map((person) => (
          <li key={person.objectId}>
            <Button onClick={() => pick(person)}>{person.name}</Button>
          </li>
        ))}
      </ul>
    </main>
  );
}
