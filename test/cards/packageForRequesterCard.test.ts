import assert from 'node:assert/strict';
import { buildPackageForRequesterCard } from '../../cards/packageForRequesterCard';
import { allActions, stringFields, visibleText } from './support/cardTree';
import { makeRequest, SAMPLE_LINK, SAMPLE_PACKAGE, withSubjectName } from './support/fixtures';

describe('cards/packageForRequesterCard', () => {
  const request = makeRequest({ state: 'ready', deliverTo: 'requester', package: SAMPLE_PACKAGE });
  const card = buildPackageForRequesterCard(request, SAMPLE_LINK, 'Europe/Berlin');

  it('tells the admin why the package comes to them and that the link is private', () => {
    const text = visibleText(card);
    for (const expected of [
      'Package ready to hand over',
      'DSR-2026-0007',
      'Megan Bowen',
      'account is disabled',
      'This link is private',
      'Mon 9 Mar 2026, 11:00 CET',
      '7 files, 1.2 MB',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
  });

  it('carries the URL only in its one action', () => {
    assert.deepEqual(
      allActions(card).map((a) => a.type),
      ['Action.OpenUrl'],
    );
    assert.deepEqual(
      stringFields(card)
        .filter((f) => f.value.includes(SAMPLE_LINK.url))
        .map((f) => f.path),
      ['actions[0].url'],
    );
  });

  it('shows a hostile name as literal text', () => {
    const hostile = buildPackageForRequesterCard(withSubjectName(request, '[x](https://evil.example) ${reference}'), SAMPLE_LINK, 'UTC');
    assert.ok(visibleText(hostile).includes('[x](https://evil.example) ${reference}'));
  });
});
