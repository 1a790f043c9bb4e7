import { calendarDateIn, formatForPeople } from '../domain/deadlines/calendarDate';
import type { ExportRequest } from '../domain/requests/exportRequest';
import { buildNoticeCard } from './noticeCard';
import { DATE_LOCALE, subjectLanguage, type SubjectLanguage } from './text/subjectLanguage';
import { SUBJECT_NOTICE_TEXT } from './text/subjectNoticeText';

/** What the controller configured about complaints (config/sources.json `controller`), for the subject's notices. */
export interface ComplaintRoute {
  /** The supervisory authority a GDPR complaint may go to, in the controller's words. */
  readonly supervisoryAuthority?: string;
}

export interface LapsedNoticeOptions extends ComplaintRoute {
  /** The tenant's zone, in which the dates the subject reads are days. */
  readonly timeZone?: string;
}

/** "Already answered", in the subject's language (shown on their outcome card after a second click). */
export function alreadyAnsweredSentence(request: ExportRequest): string {
  return SUBJECT_NOTICE_TEXT[subjectLanguage(request)].alreadyAnswered(request.reference);
}

/**
 * Where the subject may turn if they disagree with how their request ended, in their language and
 * under the request's law (docs/decisions/0018).
 */
export function remediesSentence(request: ExportRequest, route: ComplaintRoute = {}, language: SubjectLanguage = subjectLanguage(request)): string {
  const text = SUBJECT_NOTICE_TEXT[language];
  return text.remedies[request.regime](route.supervisoryAuthority?.trim() || text.anyAuthority);
}

/**
 * The notice a subject gets when their request closes because they did not confirm in time: the
 * reason with its dates, that they can ask again, and where to complain (GDPR Art. 12(4)).
 */
export function buildLapsedNoticeCard(request: ExportRequest, options: LapsedNoticeOptions = {}) {
  const language = subjectLanguage(request);
  const text = SUBJECT_NOTICE_TEXT[language];
  const day = (instant: string) => formatForPeople(calendarDateIn(new Date(instant), options.timeZone ?? 'UTC'), DATE_LOCALE[language]);
  return buildNoticeCard(text.lapsedTitle(request.reference), text.lapsedReason(day(request.createdAt), day(request.answeredAt ?? request.updatedAt)), [
    text.fileAgain,
    remediesSentence(request, options, language),
  ]);
}
