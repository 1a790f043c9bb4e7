import assert from 'node:assert/strict';
import { buildDeadlineExtendedCard } from '../../cards/deadlineExtendedCard';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { visibleText } from './support/cardTree';
import { makeRequest } from './support/fixtures';

const EXTENDED: Partial<ExportRequest> = {
  extensions: [{ amount: 1, unit: 'months', reason: 'Large volume of data across systems', at: '2026-03-10T10:00:00Z' }],
};

function subjectIn(language: string, overrides: Partial<ExportRequest>): ExportRequest {
  const request = makeRequest({ ...EXTENDED, ...overrides });
  return { ...request, subject: { ...request.subject, preferredLanguage: language } };
}

describe('cards/deadlineExtendedCard: the working-day rule', () => {
  // One more month from 26 Feb ends Sun 26 Apr 2026: due Monday 27 April.
  const moved = { dueOn: '2026-04-27', dueRule: { periodEndsOn: '2026-04-26', reason: 'weekend' as const } };

  it('says why the new date is the next working day, in the subject’s language', () => {
    const expected: Record<string, string> = {
      'en-GB': 'About that date: the period ended on Sun 26 Apr 2026, a weekend, so it ends on the next working day.',
      'de-DE': 'Zu diesem Datum: die Frist endete am So., 26. Apr. 2026, einem Wochenende, und endet daher am nächsten Werktag.',
      'fr-FR': 'À propos de cette date : le délai prenait fin le dim. 26 avr. 2026, un week-end, il prend donc fin le jour ouvrable suivant.',
    };
    for (const [language, line] of Object.entries(expected)) {
      const text = visibleText(buildDeadlineExtendedCard(subjectIn(language, moved), '2026-03-26'));
      assert.ok(text.includes(line), `${language}:\n${text}`);
    }
    assert.ok(
      visibleText(buildDeadlineExtendedCard(subjectIn('en-GB', moved), '2026-03-26')).includes(
        'We will answer by Mon 27 Apr 2026 at the latest (it was Thu 26 Mar 2026).',
      ),
    );
  });

  it('says nothing about it when the period ends on a working day', () => {
    const text = visibleText(buildDeadlineExtendedCard(subjectIn('en-GB', { dueOn: '2026-04-24' }), '2026-03-26'));
    assert.ok(!/About that date|working day/.test(text), text);
  });
});
