import type { ExportRequest } from '../domain/requests/exportRequest';
import { buildNoticeCard } from './noticeCard';
import { subjectLanguage } from './text/subjectLanguage';
import { SUBJECT_NOTICE_TEXT } from './text/subjectNoticeText';

/** "Already answered", in the subject's language (shown on their outcome card after a second click). */
export function alreadyAnsweredSentence(request: ExportRequest): string {
  return SUBJECT_NOTICE_TEXT[subjectLanguage(request)].alreadyAnswered(request.reference);
}

/** The notice a subject gets when their request closes because they did not confirm in time. */
export function buildLapsedNoticeCard(request: ExportRequest) {
  const text = SUBJECT_NOTICE_TEXT[subjectLanguage(request)];
  return buildNoticeCard(text.lapsedTitle(request.reference), text.lapsedSentence);
}
