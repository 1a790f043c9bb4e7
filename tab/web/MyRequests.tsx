import {
  Body1,
  Button,
  Radio,
  RadioGroup,
  Link,
  Caption1,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Subtitle2,
  Title2,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { CardView } from './CardView';
import { getJson, postJson, type RequestView, type TimelineEntry, type TokenSource } from './api';

const LAW: Record<RequestView['regime'], string> = { gdpr: 'GDPR', ccpa: 'CCPA' };

/** "Thu 26 Feb 2026", in the reader's language: the API sends ISO calendar dates. */
function shown(date: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

function standing(request: RequestView): string {
  if (request.daysLeft === undefined) return request.stateLabel;
  if (request.daysLeft < 0) return `overdue by ${-request.daysLeft} ${-request.daysLeft === 1 ? 'day' : 'days'}`;
  if (request.daysLeft === 0) return 'due today';
  return `${request.daysLeft} ${request.daysLeft === 1 ? 'day' : 'days'} left`;
}

/** "My data requests": every request about the signed-in person, newest first. */
export function MyRequests({ token, locale }: { readonly token: TokenSource; readonly locale: string }) {
  const [requests, setRequests] = useState<readonly RequestView[] | undefined>();
  const [offer, setOffer] = useState<ExportOffer | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [opened, setOpened] = useState<string | undefined>();
  const [loads, setLoads] = useState(0);
  const reload = useCallback(() => setLoads((n) => n + 1), []);

  useEffect(() => {
    getJson<{ requests: RequestView[]; exportMyData: ExportOffer }>('/my-requests', token).then(
      (answer) => {
        setRequests(answer.requests);
        setOffer(answer.exportMyData);
      },
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [token, loads]);

  return (
    <main aria-labelledby="my-requests-title">
      <Title2 as="h1" id="my-requests-title" block>
        My data requests
      </Title2>
      <Body1 as="p" block>
        Requests for a copy of the personal data we hold about you, and where each one stands.
      </Body1>
      {offer ? <ExportMyData offer={offer} token={token} onFiled={reload} /> : null}
      {problem ? (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ) : requests === undefined ? (
        <Spinner label="Loading your requests…" />
      ) : requests.length === 0 ? (
        <Body1 as="p" block>
          You have no data requests. To ask for a copy of your data, type "export my data" in a chat with Privacy Desk.
        </Body1>
      ) : (
        <Table aria-label="My data requests" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Reference</TableHeaderCell>
              <TableHeaderCell>Law</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
              <TableHeaderCell>Received</TableHeaderCell>
              <TableHeaderCell>Due</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {requests.map((request) => (
              <TableRow key={request.reference} data-reference={request.reference}>
                <TableCell>
                  <Link as="button" onClick={() => setOpened(request.reference)} aria-label={`History of ${request.reference}`}>
                    {request.reference}
                  </Link>
                </TableCell>
                <TableCell>{LAW[request.regime]}</TableCell>
                <TableCell>
                  <Body1 block>{request.stateLabel}</Body1>
                  {request.declineReason ? <Caption1 block>Your reason: {request.declineReason}</Caption1> : null}
                </TableCell>
                <TableCell>{shown(request.receivedOn, locale)}</TableCell>
                <TableCell>
                  {shown(request.dueOn, locale)}
                  <Caption1 block>{standing(request)}</Caption1>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {opened ? <RequestHistory reference={opened} token={token} locale={locale} onAnswered={reload} /> : null}
    </main>
  );
}

/** One request's history in plain words (the API's timeline), newest last, as the subject reads it. */
function RequestHistory({
  reference,
  token,
  locale,
  onAnswered,
}: {
  readonly reference: string;
  readonly token: TokenSource;
  readonly locale: string;
  readonly onAnswered: () => void;
}) {
  const [timeline, setTimeline] = useState<readonly TimelineEntry[] | undefined>();
  const [card, setCard] = useState<object | undefined>();
  const [download, setDownload] = useState<{ until: string } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    setTimeline(undefined);
    setCard(undefined);
    setProblem(undefined);
    getJson<{ timeline: TimelineEntry[]; card?: object; download?: { until: string } }>(`/requests/${encodeURIComponent(reference)}`, token).then(
      (answer) => {
        setTimeline(answer.timeline);
        setCard(answer.card);
        setDownload(answer.download);
      },
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [reference, token]);
  // The card's buttons go where Teams would send them; the answer is the card that replaces it.
  const execute = useCallback(
    (verb: string, data: Record<string, unknown>) => {
      postJson<{ card: object }>('/card-actions', token, { verb, data }).then(
        (answer) => {
          setCard(answer.card);
          onAnswered();
        },
        (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
      );
    },
    [token, onAnswered],
  );
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section aria-labelledby="history-title" aria-live="polite" style={{ marginTop: '16px' }}>
      {download ? (
        <Button
          appearance="primary"
          onClick={() => {
            postJson<{ url: string }>(`/requests/${encodeURIComponent(reference)}/download`, token).then(
              (answer) => window.open(answer.url, '_blank', 'noopener'),
              (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
            );
          }}
        >
          Download my data (the link works until {new Date(download.until).toLocaleString(locale)})
        </Button>
      ) : null}
      {card ? (
        <section aria-label="Your answer" style={{ maxWidth: '520px', margin: '8px 0 16px' }}>
          <CardView card={card} onExecute={execute} />
        </section>
      ) : null}
      <Subtitle2 as="h2" id="history-title" block>
        History of {reference}
      </Subtitle2>
      {problem ? (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ) : timeline === undefined ? (
        <Spinner size="tiny" label="Loading the history…" />
      ) : (
        <ol aria-label={`History of ${reference}`}>
          {timeline.map((entry, index) => (
            <li key={index}>
              <Caption1 block>{when.format(new Date(entry.at))}</Caption1>
              <Body1 block>{entry.text}</Body1>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

type ExportOffer = { readonly suggestedLaw: 'gdpr' | 'ccpa' } | { readonly notNow: string };

/**
 * "Export my data", as in the chat: the person chooses the law (the one their configuration suggests
 * comes first, decision 0019) and the request is filed and confirmed at once, or they read why not now.
 */
function ExportMyData({ offer, token, onFiled }: { readonly offer: ExportOffer; readonly token: TokenSource; readonly onFiled: () => void }) {
  const [law, setLaw] = useState<string>('suggestedLaw' in offer ? offer.suggestedLaw : 'gdpr');
  const [outcome, setOutcome] = useState<{ intent: 'success' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  if ('notNow' in offer) {
    return outcome ? (
      <MessageBar intent={outcome.intent}>
        <MessageBarBody>{outcome.text}</MessageBarBody>
      </MessageBar>
    ) : (
      <Body1 as="p" block>
        {offer.notNow}
      </Body1>
    );
  }
  const ask = () => {
    setBusy(true);
    postJson<{ request: RequestView }>(`/my-requests?law=${encodeURIComponent(law)}`, token).then(
      (answer) => {
        setOutcome({
          intent: 'success',
          text: `Your request ${answer.request.reference} is filed and your export has started. You will get a private download link in Teams when it is ready.`,
        });
        onFiled();
      },
      (error: unknown) => {
        setBusy(false);
        setOutcome({ intent: 'error', text: error instanceof Error ? error.message : String(error) });
      },
    );
  };
  return (
    <section aria-labelledby="export-my-data-title" style={{ margin: '12px 0' }}>
      <Subtitle2 as="h2" id="export-my-data-title" block>
        Export my data
      </Subtitle2>
      <RadioGroup value={law} onChange={(_event, data) => setLaw(data.value)} aria-labelledby="export-my-data-title" layout="horizontal">
        <Radio value="gdpr" label={`GDPR${offer.suggestedLaw === 'gdpr' ? ' (suggested)' : ''}`} />
        <Radio value="ccpa" label={`CCPA${offer.suggestedLaw === 'ccpa' ? ' (suggested)' : ''}`} />
      </RadioGroup>
      <Button appearance="primary" disabled={busy} onClick={ask}>
        Ask for a copy of my data
      </Button>
      {outcome ? (
        <MessageBar intent={outcome.intent}>
          <MessageBarBody>{outcome.text}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
