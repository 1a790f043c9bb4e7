import type { AdaptiveCard } from '../../../cards/adaptiveCard';
import {
  buildChannelEventCard,
  buildConfirmationCard,
  buildConfirmationOutcomeCard,
  buildHelpCard,
  buildLinkWithdrawnCard,
  buildLinkWithdrawnNoticeCard,
  buildNoticeCard,
  buildPackageReadyCard,
  buildPackageForRequesterCard,
  buildRegisterCard,
  buildDeadlineExtendedCard,
  buildRequestListCard,
  buildRequestStatusCard,
  StatusAudience,
} from '../../../cards';
import { ALL_STATES, type RequestState } from '../../../domain/requests/lifecycle';
import { RequestMoment } from '../../../domain/delivery/notification';
import { REGIMES } from '../../../domain/requests/regime';
import { makeRequest, SAMPLE_LINK, SAMPLE_PACKAGE, TODAY, withPreferredLanguage } from './fixtures';
import { buildAnswerRefusedCard, buildAnswerSentCard, buildPauseNoticeCard, buildSubjectAnsweredCard, buildSubjectAnsweredChannelCard } from '../../../cards';
import type { ExportRequest } from '../../../domain/requests/exportRequest';
import { buildLapsedNoticeCard } from '../../../cards/subjectNotices';

/** A request paused for the subject's answer, and the same request after two answers (one cut). */
export const PAUSE = { since: '2026-03-01', reason: 'A copy of your ID card, or your staff number', by: 'a1b2c3d4-0001-4000-8000-00000000a001' } as const;
export const ANSWERS = [
  { at: '2026-03-01T14:05:00.000Z', text: 'My staff number is 4711.\nThe ID card follows by post.' },
  { at: '2026-03-02T08:30:00.000Z', text: `${'Also: '.repeat(20)}…`, truncated: true },
] as const;
export function pausedRequest(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return makeRequest({ pause: { ...PAUSE }, ...overrides });
}
export function answeredRequest(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return pausedRequest({ pause: { ...PAUSE, answers: 2 }, subjectAnswers: [...ANSWERS], ...overrides });
}

/** Every shape of the paused-request cards (issue 11, point 5). */
function pausedRequestCards(make: (overrides?: Partial<ExportRequest>) => ExportRequest, lang = ''): Array<{ name: string; card: AdaptiveCard }> {
  const suffix = lang ? `, ${lang}` : '';
  const answered = make({ pause: { ...PAUSE, answers: 2 }, subjectAnswers: [...ANSWERS] });
  return [
    { name: `pause notice${suffix}`, card: buildPauseNoticeCard(make({ pause: { ...PAUSE } })) },
    { name: `answer sent${suffix}`, card: buildAnswerSentCard(answered, ANSWERS[0]) },
    { name: `answer sent (cut${suffix})`, card: buildAnswerSentCard(answered, ANSWERS[1]) },
    { name: `answer sent (resumed meanwhile${suffix})`, card: buildAnswerSentCard(make({ subjectAnswers: [...ANSWERS] }), ANSWERS[0]) },
    ...(['not_waiting', 'empty', 'too_many'] as const).map((reason) => ({
      name: `answer refused (${reason}${suffix})`,
      card: buildAnswerRefusedCard(answered, reason),
    })),
  ];
}

/** The languages a data subject's cards are written in besides English, by a directory value that selects each. */
export const SUBJECT_LANGUAGES = { de: 'de-DE', fr: 'fr-FR' } as const;

/** The state a request is in when its channel moment is posted. */
export const STATE_AFTER: Record<RequestMoment, RequestState> = {
  filed: 'awaiting_confirmation',
  confirmed: 'confirmed',
  declined: 'declined',
  ready: 'ready',
  delivered: 'delivered',
  failed: 'failed',
  reached_by_mail: 'awaiting_confirmation',
  cancelled: 'cancelled',
};

/**
 * Every card in every shape it can take (each state, moment, option, with and without optional
 * parts), built from ordinary data. Validation and "nothing left unexpanded" run over all of them.
 */
export function everyCardVariant(): Array<{ name: string; card: AdaptiveCard }> {
  const out: Array<{ name: string; card: AdaptiveCard }> = [];
  const failed = makeRequest({ state: 'failed', failure: { source: 'hr-system', reason: 'Timed out after 3 attempts' } });
  const full = makeRequest({ intakeNote: 'Ticket 4711, by e-mail', declineReason: 'Not mine', package: SAMPLE_PACKAGE });

  for (const regime of REGIMES) {
    out.push({ name: `confirmation (${regime})`, card: buildConfirmationCard(makeRequest({ regime }), 'Alex Wilber', TODAY) });
  }
  for (const state of ALL_STATES) {
    const request = { ...full, state, ...(state === 'failed' ? { failure: failed.failure } : {}) };
    out.push({ name: `outcome (${state})`, card: buildConfirmationOutcomeCard(request) });
    out.push({ name: `status (${state})`, card: buildRequestStatusCard(request, TODAY) });
    out.push({ name: `status (${state}, headline)`, card: buildRequestStatusCard(request, TODAY, 'Megan Bowen approved DSR-2026-0007') });
  }
  out.push({
    name: 'status (waiting on a source)',
    card: buildRequestStatusCard(
      makeRequest({ state: 'exporting', waiting: { sourceId: 'm365', progress: 'Microsoft 365 export running (40%)', since: '2026-03-01T10:00:00Z' } }),
      TODAY,
    ),
  });
  out.push({ name: 'status (minimal)', card: buildRequestStatusCard(makeRequest(), TODAY) });
  const internal = {
    ...full,
    identityVerification: 'Passport checked by HR',
    assignee: { objectId: 'a1b2c3d4-0005-4000-8000-00000000a005', displayName: 'Patti Fernandez' },
  };
  for (const audience of Object.values(StatusAudience)) {
    out.push({ name: `status (${audience})`, card: buildRequestStatusCard(internal, TODAY, undefined, audience) });
    out.push({
      name: `status (${audience}, failed, paused)`,
      card: buildRequestStatusCard(
        { ...internal, state: 'failed', failure: failed.failure, pause: { since: '2026-03-01', reason: 'her new address' } },
        TODAY,
        undefined,
        audience,
      ),
    });
  }
  out.push({ name: 'status (failed, no detail)', card: buildRequestStatusCard(makeRequest({ state: 'failed' }), TODAY) });
  out.push({
    name: 'outcome (notice)',
    card: buildConfirmationOutcomeCard(makeRequest({ state: 'declined' }), 'You already answered this request. Nothing was changed.'),
  });
  out.push({ name: 'notice', card: buildNoticeCard('Nothing was changed', 'This request is not waiting for your answer.') });
  out.push({ name: 'package ready', card: buildPackageReadyCard(makeRequest({ state: 'ready', package: SAMPLE_PACKAGE }), SAMPLE_LINK, 'Europe/Berlin') });
  out.push({ name: 'package ready (no package info)', card: buildPackageReadyCard(makeRequest({ state: 'ready' }), SAMPLE_LINK, 'UTC') });
  out.push({
    name: 'package for the requester',
    card: buildPackageForRequesterCard(makeRequest({ state: 'ready', deliverTo: 'requester', package: SAMPLE_PACKAGE }), SAMPLE_LINK, 'Europe/Berlin'),
  });
  out.push({ name: 'link withdrawn', card: buildLinkWithdrawnCard(makeRequest({ state: 'delivered', package: SAMPLE_PACKAGE })) });
  out.push({ name: 'link withdrawn (notice)', card: buildLinkWithdrawnNoticeCard(makeRequest({ state: 'delivered', package: SAMPLE_PACKAGE })) });
  out.push({
    name: 'link withdrawn (for the requester)',
    card: buildLinkWithdrawnCard(makeRequest({ state: 'delivered', deliverTo: 'requester', package: SAMPLE_PACKAGE })),
  });
  out.push({
    name: 'link withdrawn (for the requester, notice)',
    card: buildLinkWithdrawnNoticeCard(makeRequest({ state: 'delivered', deliverTo: 'requester', package: SAMPLE_PACKAGE })),
  });
  out.push({
    name: 'deadline extended',
    card: buildDeadlineExtendedCard(
      makeRequest({
        dueOn: '2026-04-30',
        extensions: [{ amount: 2, unit: 'months', reason: 'Large volume of data across systems', at: '2026-02-10T10:00:00Z' }],
      }),
      '2026-02-28',
    ),
  });
  // A period that ended on a holiday: the cards show the working day the rule produced and why.
  const movedByHoliday = { dueOn: '2026-05-26', dueRule: { periodEndsOn: '2026-05-25', reason: 'holiday', holiday: 'Whit Monday' } } as const;
  out.push({ name: 'status (due date moved by a holiday)', card: buildRequestStatusCard(makeRequest(movedByHoliday), TODAY) });
  out.push({
    name: 'deadline extended (moved by a holiday)',
    card: buildDeadlineExtendedCard(
      makeRequest({
        ...movedByHoliday,
        extensions: [{ amount: 2, unit: 'months', reason: 'Large volume of data across systems', at: '2026-02-10T10:00:00Z' }],
      }),
      '2026-02-28',
    ),
  });
  out.push({ name: 'register', card: buildRegisterCard(12, SAMPLE_LINK, 'Europe/Berlin') });
  out.push({ name: 'list (empty, all)', card: buildRequestListCard([], TODAY, 'all') });
  out.push({ name: 'list (empty, own)', card: buildRequestListCard([], TODAY, 'own') });
  const many = ALL_STATES.map((state, i) => makeRequest({ state, reference: `DSR-2026-${String(i + 1).padStart(4, '0')}` }));
  out.push({ name: 'list (every state)', card: buildRequestListCard(many, TODAY, 'all') });
  const tooMany = Array.from({ length: 40 }, (_, i) => makeRequest({ reference: `DSR-2026-${String(i + 1).padStart(4, '0')}` }));
  out.push({ name: 'list (over the cap)', card: buildRequestListCard(tooMany, TODAY, 'own') });
  for (const moment of Object.values(RequestMoment)) {
    const request = moment === 'failed' ? failed : makeRequest({ state: STATE_AFTER[moment] });
    out.push({ name: `channel (${moment})`, card: buildChannelEventCard(request, moment, TODAY) });
  }
  const commands = [
    { title: 'help', description: 'Shows this list.' },
    { title: 'status DSR-2026-0007', description: 'Shows where a request stands.' },
  ];
  for (const isAdmin of [true, false]) {
    for (const inChannel of [true, false]) {
      out.push({ name: `help (admin=${isAdmin}, channel=${inChannel})`, card: buildHelpCard(commands, { isAdmin, inChannel }) });
    }
  }
  out.push({ name: 'help (no commands)', card: buildHelpCard([], { isAdmin: false, inChannel: false }) });
  out.push(...subjectCardsIn());
  out.push(...pausedRequestCards(makeRequest));
  out.push({ name: 'subject answered (paused, two answers)', card: buildSubjectAnsweredCard(answeredRequest(), 'Europe/Berlin') });
  out.push({
    name: 'subject answered (one answer)',
    card: buildSubjectAnsweredCard(pausedRequest({ pause: { ...PAUSE, answers: 1 }, subjectAnswers: [ANSWERS[0]] }), 'UTC'),
  });
  out.push({
    name: 'subject answered (resumed, notice)',
    card: buildSubjectAnsweredCard(answeredRequest({ pause: undefined }), 'UTC', 'The clock for DSR-2026-0007 is running again: now due Thu 26 Mar 2026.'),
  });
  out.push({ name: 'subject answered (closed)', card: buildSubjectAnsweredCard(answeredRequest({ state: 'cancelled' }), 'UTC') });
  out.push({ name: 'subject answered (no answer kept)', card: buildSubjectAnsweredCard(pausedRequest(), 'UTC') });
  out.push({ name: 'channel (subject answered, paused)', card: buildSubjectAnsweredChannelCard(answeredRequest(), TODAY) });
  out.push({ name: 'channel (subject answered, resumed)', card: buildSubjectAnsweredChannelCard(answeredRequest({ pause: undefined }), TODAY) });
  return out;
}

/** Every card a data subject reads, in each non-English language, in the shapes the English ones take. */
function subjectCardsIn(): Array<{ name: string; card: AdaptiveCard }> {
  const out: Array<{ name: string; card: AdaptiveCard }> = [];
  for (const [lang, preferred] of Object.entries(SUBJECT_LANGUAGES)) {
    const make = (overrides: Parameters<typeof makeRequest>[0] = {}) => withPreferredLanguage(makeRequest(overrides), preferred);
    for (const regime of REGIMES) {
      out.push({ name: `confirmation (${regime}, ${lang})`, card: buildConfirmationCard(make({ regime }), 'Alex Wilber', TODAY) });
    }
    for (const state of ALL_STATES) {
      out.push({ name: `outcome (${state}, ${lang})`, card: buildConfirmationOutcomeCard(make({ state, package: SAMPLE_PACKAGE })) });
    }
    out.push({
      name: `outcome (notice, ${lang})`,
      card: buildConfirmationOutcomeCard(make({ state: 'declined' }), 'You already answered this request. Nothing was changed.'),
    });
    for (const regime of REGIMES) {
      out.push({
        name: `lapsed notice (${regime}, ${lang})`,
        card: buildLapsedNoticeCard(make({ state: 'unconfirmed', regime, answeredAt: '2026-03-02T07:00:00Z' }), {
          timeZone: 'Europe/Berlin',
          supervisoryAuthority: 'the Hamburg data protection authority',
        }),
      });
    }
    out.push({ name: `package ready (${lang})`, card: buildPackageReadyCard(make({ state: 'ready', package: SAMPLE_PACKAGE }), SAMPLE_LINK, 'Europe/Berlin') });
    out.push({ name: `package ready (no package info, ${lang})`, card: buildPackageReadyCard(make({ state: 'ready' }), SAMPLE_LINK, 'UTC') });
    out.push({ name: `link withdrawn (${lang})`, card: buildLinkWithdrawnCard(make({ state: 'delivered', package: SAMPLE_PACKAGE })) });
    out.push({ name: `link withdrawn (notice, ${lang})`, card: buildLinkWithdrawnNoticeCard(make({ state: 'delivered', package: SAMPLE_PACKAGE })) });
    out.push({
      name: `deadline extended (${lang})`,
      card: buildDeadlineExtendedCard(
        make({ dueOn: '2026-04-30', extensions: [{ amount: 2, unit: 'months', reason: 'Large volume of data across systems', at: '2026-02-10T10:00:00Z' }] }),
        '2026-02-28',
      ),
    });
    out.push(...pausedRequestCards(make, lang));
  }
  return out;
}
