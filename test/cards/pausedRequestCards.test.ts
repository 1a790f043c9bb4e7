import assert from 'node:assert/strict';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import {
  answerMissingSentence,
  answerRefusedSentence,
  answerSentSentence,
  buildAnswerRefusedCard,
  buildAnswerSentCard,
  buildPauseNoticeCard,
  buildSubjectAnsweredCard,
  buildSubjectAnsweredChannelCard,
  filesNotPassedSentence,
  pauseNoticeSummary,
  whichRequestSentence,
} from '../../cards';
import { CardVerb, SUBJECT_ANSWER_INPUT } from '../../cards/cardVerbs';
import { PAUSED_REQUEST_TEXT } from '../../cards/text/pausedRequest.text';
import { ALL_STATES, isOpen } from '../../domain/requests/lifecycle';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { MAX_SUBJECT_ANSWER } from '../../domain/requests/requestService';
import { ANSWERS, answeredRequest, PAUSE, pausedRequest } from './support/allCards';
import { allActions, elementsOfType, isMarkdownField, isTextRun, stringFields, visibleText } from './support/cardTree';
import { HOSTILE_NAME, makeRequest, SUBJECT_MAIL, SUBJECT_UPN, TEMPLATE_PROBE, TODAY, withPreferredLanguage } from './support/fixtures';

/** What a subject or an admin might write: Markdown, a mention, a text function, template expressions. */
const HOSTILE_ANSWER = `${HOSTILE_NAME} <at>Alex Wilber</at> {{DATE(2026-03-01T10:00:00Z, SHORT)}} ${TEMPLATE_PROBE}`;
/** As plainText leaves it: the text function's braces split by a zero-width space, all else as typed. */
const HOSTILE_SHOWN = HOSTILE_ANSWER.replace('{{', '{\u200B{');
const URL_LIKE = /https?:|www\.|:\/\/|\.blob\.|@/i;

function executeActions(card: AdaptiveCard) {
  return allActions(card).map((a) => ({ type: a.type, verb: a.verb, data: a.data }));
}

/** The hostile string is on the card only in TextRuns, exactly as plainText leaves it; no Markdown field holds any of it. */
function assertInert(card: AdaptiveCard, expectedRuns: number): void {
  const fields = stringFields(card);
  const holding = fields.filter((f) => f.value.includes('evil.example') || f.value.includes('<at>'));
  assert.equal(holding.length, expectedRuns, JSON.stringify(holding));
  for (const f of holding) {
    assert.ok(isTextRun(f), `${f.path} holds the user string outside a TextRun`);
    assert.equal(f.value, HOSTILE_SHOWN, `${f.path}: shown as written, nothing evaluated`);
  }
  for (const f of fields.filter(isMarkdownField)) {
    assert.ok(!/\]\(|\*\*|<at>|\{\{/.test(f.value), `${f.path}: ${f.value}`);
  }
  assert.ok(!JSON.stringify(card).includes('{{DATE('), 'the text function is neutralised');
}

function englishOnly(lang: 'de' | 'fr'): string[] {
  return Object.entries(PAUSED_REQUEST_TEXT.en)
    .filter(([key, value]) => typeof value === 'string' && value !== (PAUSED_REQUEST_TEXT[lang] as unknown as Record<string, unknown>)[key])
    .map(([, value]) => value as string);
}

describe('cards: a paused request (the subject is asked; their answer reaches the admins)', () => {
  describe('the pause notice (subject)', () => {
    const card = buildPauseNoticeCard(pausedRequest());

    it('says the clock on their request is paused, what the privacy team needs in the admin’s words, and how to answer', () => {
      const text = visibleText(card);
      for (const expected of [
        'We need something from you',
        'The clock on your request DSR-2026-0007 is paused because the privacy team needs:',
        PAUSE.reason,
        'Write your answer below and select "Send to the privacy team", or just reply here in this chat.',
        'starts again when the privacy team has what it needs',
        'Send to the privacy team',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
      }
      const reason = stringFields(card).filter((f) => f.value === PAUSE.reason);
      assert.deepEqual(reason.map(isTextRun), [true], 'the admin’s words in a TextRun');
    });

    it('has the answer box (bounded, required) and one button carrying only the request id', () => {
      const [input] = elementsOfType(card, 'Input.Text');
      assert.deepEqual(
        { id: input!.id, maxLength: input!.maxLength, isRequired: input!.isRequired, isMultiline: input!.isMultiline, label: input!.label },
        { id: SUBJECT_ANSWER_INPUT, maxLength: MAX_SUBJECT_ANSWER, isRequired: true, isMultiline: true, label: 'Your answer' },
      );
      assert.deepEqual(executeActions(card), [{ type: 'Action.Execute', verb: CardVerb.Answer, data: { requestId: makeRequest().id } }]);
    });

    it('is written in the subject’s language, with no English left', () => {
      for (const [preferred, lang, heading, button] of [
        ['de-DE', 'de', 'Wir benötigen etwas von Ihnen', 'An das Datenschutzteam senden'],
        ['fr-FR', 'fr', 'Nous avons besoin d’un élément de votre part', 'Envoyer à l’équipe de protection des données'],
      ] as const) {
        const localized = buildPauseNoticeCard(withPreferredLanguage(pausedRequest(), preferred));
        const text = visibleText(localized);
        assert.ok(text.includes(heading), text);
        assert.ok(text.includes(PAUSE.reason), 'the admin’s words as written');
        assert.equal(allActions(localized)[0]!.title, button);
        const values = stringFields(localized).map((f) => f.value);
        for (const english of englishOnly(lang)) assert.ok(!values.includes(english), `English left on the ${lang} card: ${english}`);
      }
    });

    it('shows hostile words from the admin literally: no link, bold, mention, date or evaluated expression', () => {
      assertInert(buildPauseNoticeCard(pausedRequest({ pause: { ...PAUSE, reason: HOSTILE_ANSWER } })), 1);
    });

    it('carries no UPN, mail or object id, and refuses to build for a request that is not paused', () => {
      const json = JSON.stringify(card);
      for (const secret of [SUBJECT_UPN, SUBJECT_MAIL, makeRequest().subject.objectId]) assert.ok(!json.includes(secret));
      assert.throws(() => buildPauseNoticeCard(makeRequest()), /not paused/);
    });

    it('its summary says what it is about, in the subject’s language', () => {
      assert.equal(pauseNoticeSummary(pausedRequest()), 'DSR-2026-0007: the privacy team needs something from you');
      assert.match(pauseNoticeSummary(withPreferredLanguage(pausedRequest(), 'de-DE')), /Datenschutzteam benötigt/);
    });
  });

  describe('after the subject answers (subject)', () => {
    it('sent: the clock stays paused until they resume it; what was asked and what they wrote; no buttons', () => {
      const card = buildAnswerSentCard(answeredRequest(), ANSWERS[0]);
      const text = visibleText(card);
      for (const expected of [
        'Sent to the privacy team',
        'The clock stays paused until they resume it.',
        PAUSE.reason,
        ANSWERS[0].text,
        'To add something, just reply here in this chat.',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
      }
      assert.ok(!text.includes('characters'), 'no word about cutting an answer that was not cut');
      assert.deepEqual(allActions(card), []);
    });

    it('a cut answer: says only the first 1,000 characters were sent, with the number as the language writes it', () => {
      assert.ok(
        visibleText(buildAnswerSentCard(answeredRequest(), ANSWERS[1])).includes(
          'Your answer was longer than 1,000 characters, so only the first 1,000 were sent.',
        ),
      );
      assert.ok(visibleText(buildAnswerSentCard(withPreferredLanguage(answeredRequest(), 'de-DE'), ANSWERS[1])).includes('länger als 1.000 Zeichen'));
      assert.ok(visibleText(buildAnswerSentCard(withPreferredLanguage(answeredRequest(), 'fr-FR'), ANSWERS[1])).includes('1\u202F000'));
    });

    it('shows a hostile answer literally', () => {
      assertInert(buildAnswerSentCard(answeredRequest(), { at: ANSWERS[0].at, text: HOSTILE_ANSWER }), 1);
    });

    it('no English on the German and French cards', () => {
      for (const [preferred, lang] of [
        ['de-DE', 'de'],
        ['fr-FR', 'fr'],
      ] as const) {
        const values = stringFields(buildAnswerSentCard(withPreferredLanguage(answeredRequest(), preferred), ANSWERS[1])).map((f) => f.value);
        for (const english of englishOnly(lang)) assert.ok(!values.includes(english), `English left: ${english}`);
      }
    });

    it('refusals and replies, in the subject’s language, quoting nothing they wrote', () => {
      const answered = answeredRequest();
      assert.match(answerRefusedSentence(answered, 'not_waiting'), /DSR-2026-0007 is not waiting for an answer from you any more, so nothing was sent/);
      assert.match(answerRefusedSentence(answered, 'too_many'), /already sent 5 answers about DSR-2026-0007/);
      assert.match(answerRefusedSentence(withPreferredLanguage(answered, 'de-DE'), 'empty'), /Schreiben Sie zuerst Ihre Antwort/);
      assert.match(
        visibleText(buildAnswerRefusedCard(withPreferredLanguage(answered, 'fr-FR'), 'not_waiting')),
        /Rien n’a été envoyé[\s\S]*n’attend plus de réponse/,
      );
      assert.equal(
        answerSentSentence(answered, ANSWERS[0]),
        'Sent to the privacy team as your answer about DSR-2026-0007. The clock stays paused until they resume it.',
      );
      assert.match(answerSentSentence(answered, ANSWERS[1]), /only the first 1,000 were sent/);
      assert.match(answerMissingSentence(answered), /What is your answer about DSR-2026-0007\?/);
      assert.match(filesNotPassedSentence(withPreferredLanguage(answered, 'fr-FR')), /pas de fichiers ni d’images/);
    });

    it('several requests waiting: asks which, naming them as the language lists things', () => {
      const two = [pausedRequest(), pausedRequest({ reference: 'DSR-2026-0009' })];
      assert.equal(
        whichRequestSentence(two),
        'Which request are you answering? DSR-2026-0007 and DSR-2026-0009 are waiting for an answer from you. Start your message with the reference, for example "DSR-2026-0007 my new postal address is …".',
      );
      assert.match(whichRequestSentence(two.map((r) => withPreferredLanguage(r, 'de-DE'))), /DSR-2026-0007 und DSR-2026-0009 warten/);
      assert.match(whichRequestSentence(two.map((r) => withPreferredLanguage(r, 'fr-FR'))), /DSR-2026-0007 et DSR-2026-0009 attendent/);
    });
  });

  describe('the subject answered (an admin’s 1:1 chat)', () => {
    it('shows who answered which request, what was asked, each answer with its time, and "Resume the clock"', () => {
      const card = buildSubjectAnsweredCard(answeredRequest(), 'Europe/Berlin');
      const text = visibleText(card);
      for (const expected of [
        'Megan Bowen',
        ' answered about ',
        'DSR-2026-0007',
        PAUSE.reason,
        'Their answers, oldest first',
        'Sun 1 Mar 2026, 15:05 CET',
        ANSWERS[0].text,
        'Mon 2 Mar 2026, 09:30 CET',
        ANSWERS[1].text,
        'They wrote more than 1,000 characters',
        'The clock stays paused until an admin resumes it.',
        'resume DSR-2026-0007',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
      }
      assert.equal(text.split('They wrote more than').length - 1, 1, 'only the cut answer says so');
      assert.deepEqual(executeActions(card), [{ type: 'Action.Execute', verb: CardVerb.Resume, data: { requestId: makeRequest().id } }]);
      assert.equal(allActions(card)[0]!.title, 'Resume the clock');
    });

    it('once the clock runs again, or the request closed: no button, and it says so', () => {
      const resumed = buildSubjectAnsweredCard(
        answeredRequest({ pause: undefined }),
        'UTC',
        'The clock for DSR-2026-0007 is running again: now due Thu 26 Mar 2026.',
      );
      assert.deepEqual(allActions(resumed), []);
      assert.ok(visibleText(resumed).includes('The clock is running again: due Thu 26 Mar 2026.'));
      assert.ok(visibleText(resumed).startsWith('The clock for DSR-2026-0007 is running again'), 'the notice on top');
      assert.ok(!visibleText(resumed).includes('resume DSR-2026-0007'));
      for (const state of ALL_STATES.filter((s) => !isOpen(s))) {
        const closed = buildSubjectAnsweredCard(answeredRequest({ state }), 'UTC');
        assert.deepEqual(allActions(closed), [], state);
        assert.match(visibleText(closed), /DSR-2026-0007 is closed/);
      }
    });

    it('a hostile answer, subject name and admin’s words: all literal, in TextRuns only', () => {
      const request: ExportRequest = {
        ...answeredRequest({ pause: { ...PAUSE, reason: HOSTILE_ANSWER }, subjectAnswers: [{ at: ANSWERS[0].at, text: HOSTILE_ANSWER }] }),
        subject: { ...makeRequest().subject, displayName: HOSTILE_ANSWER },
      };
      const card = buildSubjectAnsweredCard(request, 'UTC', HOSTILE_ANSWER);
      assertInert(card, 4);
    });

    it('carries no UPN or mail', () => {
      const json = JSON.stringify(buildSubjectAnsweredCard(answeredRequest(), 'UTC'));
      for (const secret of [SUBJECT_UPN, SUBJECT_MAIL]) assert.ok(!json.includes(secret));
    });
  });

  describe('the subject answered (the request’s channel thread)', () => {
    const hostile = answeredRequest({
      pause: { ...PAUSE, reason: 'Passport scan, please' },
      subjectAnswers: [
        { at: ANSWERS[0].at, text: HOSTILE_ANSWER },
        { at: ANSWERS[1].at, text: 'My staff number is 4711' },
      ],
    });

    it('names the request and the subject, says where the answer is and how to resume — and quotes nothing', () => {
      const card = buildSubjectAnsweredChannelCard(hostile, TODAY);
      const text = visibleText(card);
      for (const expected of [
        'The data subject answered; the clock stays paused',
        'DSR-2026-0007',
        'Megan Bowen',
        'Thu 26 Mar 2026 · 24 days left',
        'Their answer is not shown here',
        'type "resume DSR-2026-0007" in our 1:1 chat',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
      }
      const json = JSON.stringify(card);
      for (const secret of ['evil.example', '<at>', 'staff number', '4711', 'Passport', SUBJECT_UPN, SUBJECT_MAIL, hostile.subject.objectId, hostile.id]) {
        assert.ok(!json.includes(secret), `carries ${secret}`);
      }
      assert.ok(!URL_LIKE.test(json), json);
      assert.deepEqual(allActions(card), []);
    });

    it('after a resume it no longer says the clock is paused', () => {
      const text = visibleText(buildSubjectAnsweredChannelCard(answeredRequest({ pause: undefined }), TODAY));
      assert.ok(text.includes('The data subject answered'));
      assert.ok(!text.includes('paused') && !text.includes('resume'), text);
    });
  });
});
