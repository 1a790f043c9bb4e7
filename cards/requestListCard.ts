import type { CalendarDate } from '../domain/deadlines/calendarDate';
import { formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { STATE_LABEL } from '../domain/requests/lifecycle';
import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import { dueStanding } from './requestText';
import template from './requestListCard.json';

/**
 * Rows shown at most. Teams refuses cards over about 28 KB and a row costs roughly 0.9 KB of JSON,
 * so 25 rows leave room; the rest are counted in a closing sentence rather than silently dropped.
 */
export const MAX_LIST_ROWS = 25;

export const LIST_TITLE = { all: 'All requests', own: 'Your requests' } as const;

const EMPTY_SENTENCE = {
  all: 'There are no requests yet.',
  own: 'You have no requests yet.',
} as const;

interface RequestListRow {
  reference: string;
  /** Through plainText: it sits in a TextRun. */
  subjectName: string;
  state: string;
  dueOn: string;
  standing: string;
}

interface RequestListCardData {
  title: string;
  hasRows: boolean;
  emptySentence: string;
  rows: RequestListRow[];
  hasMore: boolean;
  moreSentence: string;
}

/**
 * `requests`: a table-like list, one ColumnSet per request, in the order given (the caller decides
 * what comes first). Display names only; details are one `status <ref>` away.
 */
export function buildRequestListCard(requests: ExportRequest[], today: CalendarDate, scope: 'all' | 'own'): AdaptiveCard {
  const shown = requests.slice(0, MAX_LIST_ROWS);
  const data: RequestListCardData = {
    title: `${LIST_TITLE[scope]} (${requests.length})`,
    hasRows: shown.length > 0,
    emptySentence: EMPTY_SENTENCE[scope],
    rows: shown.map((request) => ({
      reference: request.reference,
      subjectName: plainText(request.subject.displayName),
      state: STATE_LABEL[request.state],
      dueOn: formatForPeople(request.dueOn),
      standing: dueStanding(request, today),
    })),
    hasMore: requests.length > shown.length,
    moreSentence: `Showing the first ${shown.length} of ${requests.length}. To see any other, type status followed by its reference.`,
  };
  return renderTemplate(template, data);
}
