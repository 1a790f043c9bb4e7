import assert from 'node:assert/strict';
import { buildAnswerSentCard, buildPauseNoticeCard, buildSubjectAnsweredCard, buildSubjectAnsweredChannelCard } from '../../cards';
import { CardVerb, SUBJECT_ANSWER_INPUT } from '../../cards/cardVerbs';
import { MAX_SUBJECT_ANSWER } from '../../domain/requests/requestService';
import { ANSWERS, answeredRequest, PAUSE, pausedRequest } from './support/allCards';
import { useCardPage } from './support/cardPage';
import { HOSTILE_NAME, makeRequest, TODAY } from './support/fixtures';

/**
 * The paused-request cards rendered with the adaptivecards browser bundle in Debian's headless
 * Chromium, on the same page as render.browser.test.ts (useCardPage in support/cardPage.ts, whose
 * setup checks that the page's Markdown stand-in really makes links and bold text): what a person
 * reads, that nothing the subject or an admin wrote becomes a link, bold text or a mention, and
 * what the buttons send.
 */
const SCREENSHOTS = { notice: '/tmp/cards-pause-notice.png', answered: '/tmp/cards-subject-answered.png' };

const HOSTILE = `${HOSTILE_NAME} <at>Alex Wilber</at>`;

describe('paused-request cards rendered in headless Chromium', function () {
  this.timeout(60_000);
  const { page, render, executed, links, buttons } = useCardPage();

  describe('the pause notice (the admin’s words hostile)', () => {
    const request = pausedRequest({ pause: { ...PAUSE, reason: HOSTILE } });
    const card = buildPauseNoticeCard(request);

    it('reads: paused, what is needed (literally), how to answer; a bounded box and one button', async () => {
      const text = await render(card);
      for (const expected of [
        'We need something from you',
        'The clock on your request DSR-2026-0007 is paused because the privacy team needs:',
        HOSTILE,
        'or just reply here in this chat',
      ]) {
        assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
      }
      assert.equal(await links().count(), 0);
      assert.equal(await page.locator('#bubble strong').count(), 0);
      assert.equal(await page.locator('#bubble textarea').getAttribute('maxlength'), String(MAX_SUBJECT_ANSWER));
      assert.deepEqual(await buttons(), ['Send to the privacy team']);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.notice });
    });

    it('an empty box is not sent; a written one sends the verb, the request id and the answer', async () => {
      await render(card);
      await page.getByRole('button', { name: 'Send to the privacy team', exact: true }).click();
      assert.deepEqual(await executed(), [], 'the required box stops an empty answer in the client');
      await page.locator('#bubble textarea').fill('Here is my ID: 1234');
      await page.getByRole('button', { name: 'Send to the privacy team', exact: true }).click();
      assert.deepEqual(await executed(), [
        { type: 'Action.Execute', verb: CardVerb.Answer, data: { requestId: request.id, [SUBJECT_ANSWER_INPUT]: 'Here is my ID: 1234' } },
      ]);
    });
  });

  it('the subject’s "sent" card shows their hostile answer literally, with no button', async () => {
    const text = await render(buildAnswerSentCard(answeredRequest(), { at: ANSWERS[0].at, text: HOSTILE }));
    assert.ok(text.includes('Sent to the privacy team'));
    assert.ok(text.includes(HOSTILE), text);
    assert.equal(await links().count(), 0);
    assert.equal(await page.locator('#bubble strong').count(), 0);
    assert.deepEqual(await buttons(), []);
  });

  describe('the admin’s card (hostile answer)', () => {
    const request = answeredRequest({ subjectAnswers: [{ at: ANSWERS[0].at, text: HOSTILE }, ANSWERS[1]] });

    it('shows the answers literally and offers "Resume the clock", which sends only the request id', async () => {
      const text = await render(buildSubjectAnsweredCard(request, 'Europe/Berlin'));
      for (const expected of ['Megan Bowen answered about DSR-2026-0007', PAUSE.reason, HOSTILE, 'Sun 1 Mar 2026, 15:05 CET', 'resume DSR-2026-0007']) {
        assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
      }
      assert.equal(await links().count(), 0);
      assert.equal(await page.locator('#bubble strong').count(), 0);
      assert.deepEqual(await buttons(), ['Resume the clock']);
      await page.locator('#bubble').screenshot({ path: SCREENSHOTS.answered });
      await page.getByRole('button', { name: 'Resume the clock', exact: true }).click();
      assert.deepEqual(await executed(), [{ type: 'Action.Execute', verb: CardVerb.Resume, data: { requestId: makeRequest().id } }]);
    });
  });

  it('the channel post reads without the answer', async () => {
    const text = await render(buildSubjectAnsweredChannelCard(answeredRequest({ subjectAnswers: [{ at: ANSWERS[0].at, text: HOSTILE }] }), TODAY));
    assert.ok(text.includes('The data subject answered; the clock stays paused'));
    assert.ok(text.includes('Their answer is not shown here'));
    assert.ok(!text.includes('evil') && !text.includes('Alex Wilber'), text);
    assert.deepEqual(await buttons(), []);
  });
});
