/** The cards a bot or dialog may send. Templates and helpers stay behind their builders. */
export type { AdaptiveCard } from './adaptiveCard';
export {
  ASSIGNEE_INPUT,
  CANCEL_REASON_INPUT,
  CardVerb,
  DECLINE_REASON_INPUT,
  DECLINE_REASON_MAX_LENGTH,
  EXTEND_LENGTH_INPUT,
  EXTEND_REASON_INPUT,
  type RequestActionData,
} from './cardVerbs';
export { buildChannelEventCard } from './channelEventCard';
export { buildConfirmationCard } from './confirmationCard';
export { buildConfirmationOutcomeCard } from './confirmationOutcomeCard';
export { buildHelpCard } from './helpCard';
export { buildNoticeCard } from './noticeCard';
export { buildPackageReadyCard } from './packageReadyCard';
export { buildPackageForRequesterCard } from './packageForRequesterCard';
export { buildLinkWithdrawnCard, buildLinkWithdrawnNoticeCard } from './linkWithdrawnCard';
export { buildRegisterCard } from './registerCard';
export { buildDeadlineExtendedCard } from './deadlineExtendedCard';
export { buildDeadlineAlertCard } from './deadlineAlertCard';
export { buildDigestCard } from './digestCard';
export { buildChannelAdminCard } from './channelAdminCard';
export { alreadyAnsweredSentence, buildLapsedNoticeCard } from './subjectNotices';
export { buildRequestListCard } from './requestListCard';
export { buildRequestStatusCard, CHANNEL_STATUS_NOTE, StatusAudience } from './requestStatusCard';
export { buildPromptCard, PROMPT_ANSWER_KEY, type PromptButton } from './promptCard';
export { buildPauseNoticeCard } from './pauseNoticeCard';
export { buildAnswerSentCard } from './answerSentCard';
export { buildSubjectAnsweredCard } from './subjectAnsweredCard';
export { buildSubjectAnsweredChannelCard } from './subjectAnsweredChannelCard';
export {
  answerMissingSentence,
  answerRefusedSentence,
  answerSentSentence,
  buildAnswerRefusedCard,
  filesNotPassedSentence,
  pauseNoticeSummary,
  whichRequestSentence,
} from './pausedRequestNotices';
export { SUBJECT_ANSWER_INPUT, SUBJECT_ANSWER_MAX_LENGTH } from './cardVerbs';
