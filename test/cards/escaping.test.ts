import assert from 'node:assert/strict';
import type { AdaptiveCard } from '../../cards/adaptiveCard';
import { escapeText } from '../../cards/adaptiveCard';
import {
  buildChannelEventCard,
  buildConfirmationCard,
  buildConfirmationOutcomeCard,
  buildHelpCard,
  buildNoticeCard,
  buildRequestListCard,
  buildRequestStatusCard,
  StatusAudience,
} from '../../cards';
import { RequestMoment } from '../../domain/delivery/notification';
import { STATE_AFTER } from './support/allCards';
import { isMarkdownField, isTextRun, stringFields } from './support/cardTree';
import { HOSTILE_NAME, makeRequest, TEMPLATE_PROBE, TODAY, withSubjectName } from './support/fixtures';

/** Markdown syntax that must never survive unescaped where a user string lands in a Markdown field. */
const ACTIVE_MARKDOWN = /[[\]()*_`<>{}$#|~!]/;

/**
 * The rule the cards follow, checked field by field: a user string is shown either verbatim in a
 * TextRun (no Markdown there) or escaped in a Markdown field (TextBlock text, Fact title/value),
 * and nowhere else (not in ids, data, URLs, speak or fallback text).
 */
function assertShownLiterally(card: AdaptiveCard, userString: string, marker: string, requestId?: string): void {
  const fields = stringFields(card).filter((f) => f.value.includes(marker));
  assert.ok(fields.length > 0, 'the user string should be on the card');
  for (const f of fields) {
    if (isTextRun(f)) {
      assert.ok(f.value.includes(userString), `${f.path}: shown exactly as typed, \${...} not evaluated: ${f.value}`);
    } else if (isMarkdownField(f)) {
      assert.ok(f.value.includes(escapeText(userString)), `${f.path}: escaped: ${f.value}`);
      assert.ok(!ACTIVE_MARKDOWN.test(f.value.replace(/\\[!-/:-@[-`{-~]/g, '')), `${f.path}: unescaped Markdown left: ${f.value}`);
    } else {
      assert.fail(`${f.path} (${f.ownerType ?? 'no type'}.${f.key}) holds a user string`);
    }
    if (requestId) assert.ok(!f.value.includes(requestId), `${f.path}: a \${...} was evaluated into the request id`);
  }
  const rawLinks = stringFields(card).filter((f) => isMarkdownField(f) && /\]\(|\*\*/.test(f.value));
  assert.deepEqual(rawLinks, [], 'no Markdown link or bold in any Markdown field');
}

/** Every card that shows a user string, with that string in every place a card shows one. */
function cardsShowing(s: string): Array<{ name: string; card: AdaptiveCard; requestId?: string }> {
  const request = withSubjectName(makeRequest(), s);
  const id = request.id;
  return [
    { name: 'confirmation: requester name', card: buildConfirmationCard(request, s, TODAY), requestId: id },
    { name: 'status: subject name', card: buildRequestStatusCard(request, TODAY), requestId: id },
    { name: 'status: headline', card: buildRequestStatusCard(makeRequest(), TODAY, `${s} approved DSR-2026-0007`), requestId: id },
    {
      name: 'status: intake note (admin)',
      card: buildRequestStatusCard(makeRequest({ intakeNote: s }), TODAY, undefined, StatusAudience.Admin),
      requestId: id,
    },
    {
      name: 'status: identity verification (admin)',
      card: buildRequestStatusCard(makeRequest({ identityVerification: s }), TODAY, undefined, StatusAudience.Admin),
      requestId: id,
    },
    {
      name: 'status: assignee (admin)',
      card: buildRequestStatusCard(makeRequest({ assignee: { objectId: 'x', displayName: s } }), TODAY, undefined, StatusAudience.Admin),
      requestId: id,
    },
    { name: 'status in the channel: subject name', card: buildRequestStatusCard(request, TODAY, undefined, StatusAudience.Channel), requestId: id },
    { name: 'status: decline reason', card: buildRequestStatusCard(makeRequest({ state: 'declined', declineReason: s }), TODAY), requestId: id },
    {
      name: 'status: failure source and reason',
      card: buildRequestStatusCard(makeRequest({ state: 'failed', failure: { source: s, reason: s } }), TODAY),
      requestId: id,
    },
    { name: 'list: subject name', card: buildRequestListCard([request, makeRequest({ id: 'req-2' })], TODAY, 'all'), requestId: id },
    ...Object.values(RequestMoment).map((moment) => ({
      name: `channel (${moment}): subject name`,
      card: buildChannelEventCard({ ...request, state: STATE_AFTER[moment] }, moment, TODAY),
      requestId: id,
    })),
    {
      name: 'channel (failed): failure source',
      card: buildChannelEventCard(makeRequest({ state: 'failed', failure: { source: s, reason: 'x' } }), 'failed', TODAY),
      requestId: id,
    },
    { name: 'outcome: notice', card: buildConfirmationOutcomeCard(makeRequest({ state: 'declined' }), s), requestId: id },
    { name: 'notice: title and sentence', card: buildNoticeCard(s, `No user named ${s} was found.`) },
    { name: 'help: command title and description', card: buildHelpCard([{ title: s, description: s }], { isAdmin: false, inChannel: true }) },
  ];
}

describe('cards: user strings are shown literally (no Markdown, no template evaluation)', () => {
  describe(`a display name like ${HOSTILE_NAME}`, () => {
    for (const { name, card, requestId } of cardsShowing(HOSTILE_NAME)) {
      it(name, () => assertShownLiterally(card, HOSTILE_NAME, 'evil', requestId));
    }
  });

  describe(`a display name naming real template fields: ${TEMPLATE_PROBE}`, () => {
    for (const { name, card } of cardsShowing(TEMPLATE_PROBE)) {
      it(name, () => assertShownLiterally(card, TEMPLATE_PROBE, 'Eve'));
    }
  });

  it('the check itself fails on a raw Markdown name in a TextBlock', () => {
    const card: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: HOSTILE_NAME }] };
    assert.throws(() => assertShownLiterally(card, HOSTILE_NAME, 'evil'), /escaped/);
  });

  it('the check itself fails on a name in a field that is neither', () => {
    const card: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: [], speak: HOSTILE_NAME };
    assert.throws(() => assertShownLiterally(card, HOSTILE_NAME, 'evil'), /holds a user string/);
  });
});
