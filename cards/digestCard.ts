import type { Digest, DigestGroup } from '../domain/deadlines/deadlineWatch';
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

/** Counts read as people write them (9,000), whatever the host's locale. */
const COUNT_LOCALE = 'en-US';

/**
 * The privacy channel's morning digest. Built in code rather than from a template: its sections
 * repeat a variable number of rows. Reference and display name only, as on every channel card.
 * Each section names its most urgent requests and counts the rest (the digest is one Teams message,
 * which has to stay small however many requests are open); `register` lists every one.
 */
export function buildDigestCard(digest: Digest): AdaptiveCard {
  const body: unknown[] = [
    { type: 'TextBlock', text: `Privacy Desk — ${formatForPeople(digest.date)}`, style: 'heading', size: 'Large', weight: 'Bolder', wrap: true },
  ];
  const empty = SECTIONS.every((s) => digest[s.key].count === 0);
  if (empty) body.push({ type: 'TextBlock', text: 'Nothing is overdue, due this week, waiting for a subject or failed.', wrap: true });
  for (const section of SECTIONS) {
    const group = digest[section.key];
    if (group.count === 0) continue;
    body.push({ type: 'TextBlock', text: `${section.title} (${group.count.toLocaleString(COUNT_LOCALE)})`, weight: 'Bolder', spacing: 'Medium', wrap: true });
    for (const request of group.mostUrgent) body.push(row(request, digest.date));
    const more = notShown(group);
    if (more > 0) body.push({ type: 'TextBlock', text: moreSentence(more), isSubtle: true, spacing: 'Small', wrap: true });
  }
  return { type: 'AdaptiveCard', version: ADAPTIVE_CARD_VERSION, body };
}

function notShown(group: DigestGroup): number {
  return group.count - group.mostUrgent.length;
}

/**
 * `requests` shows the 25 newest, which need not include these; the register is the one place that
 * lists every request (an admin's command, in the 1:1 chat only).
 */
function moreSentence(more: number): string {
  return `…and ${more.toLocaleString(COUNT_LOCALE)} more. Type "register" in our 1:1 chat for every request as a CSV file.`;
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
