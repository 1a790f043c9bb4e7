import type { Digest } from '../domain/deadlines/deadlineWatch';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import { daysLeft, describeDaysLeft } from '../domain/deadlines/dueDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { ADAPTIVE_CARD_VERSION, plainText, type AdaptiveCard } from './adaptiveCard';

const SECTIONS: ReadonlyArray<{ key: keyof Omit<Digest, 'date'>; title: string }> = [
  { key: 'overdue', title: 'Overdue' },
  { key: 'dueThisWeek', title: 'Due within 7 days' },
  { key: 'awaitingConfirmation', title: 'Awaiting the subject’s confirmation' },
  { key: 'failed', title: 'Export failed' },
];

/**
 * The privacy channel's morning digest. Built in code rather than from a template: its sections
 * repeat a variable number of rows. Reference and display name only, as on every channel card.
 */
export function buildDigestCard(digest: Digest): AdaptiveCard {
  const body: unknown[] = [{ type: 'TextBlock', text: `Privacy Desk — ${formatForPeople(digest.date)}`, style: 'heading', size: 'Large', weight: 'Bolder', wrap: true }];
  const empty = SECTIONS.every((s) => digest[s.key].length === 0);
  if (empty) body.push({ type: 'TextBlock', text: 'Nothing is overdue, due this week, waiting for a subject or failed.', wrap: true });
  for (const section of SECTIONS) {
    const rows = digest[section.key];
    if (rows.length === 0) continue;
    body.push({ type: 'TextBlock', text: `${section.title} (${rows.length})`, weight: 'Bolder', spacing: 'Medium', wrap: true });
    for (const request of rows) body.push(row(request, digest.date));
  }
  return { type: 'AdaptiveCard', version: ADAPTIVE_CARD_VERSION, body };
}

function row(request: ExportRequest, today: string): unknown {
  return {
    type: 'RichTextBlock',
    inlines: [
      { type: 'TextRun', text: `${request.reference}  `, weight: 'Bolder' },
      { type: 'TextRun', text: plainText(request.subject.displayName) },
      { type: 'TextRun', text: `  · due ${formatForPeople(request.dueOn)}, ${describeDaysLeft(daysLeft(request.dueOn, today))}`, isSubtle: true },
    ],
  };
}
