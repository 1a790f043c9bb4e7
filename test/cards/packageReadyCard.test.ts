import assert from 'node:assert/strict';
import { buildPackageReadyCard, formatInstantForPeople } from '../../cards/packageReadyCard';
import { allActions, stringFields, visibleText } from './support/cardTree';
import { makeRequest, SAMPLE_LINK, SAMPLE_PACKAGE } from './support/fixtures';

describe('cards/packageReadyCard', () => {
  const request = makeRequest({ state: 'ready', package: SAMPLE_PACKAGE });
  const card = buildPackageReadyCard(request, SAMPLE_LINK, 'Europe/Berlin');

  it('has one action, "Download your data", opening the link', () => {
    assert.deepEqual(allActions(card), [{ type: 'Action.OpenUrl', title: 'Download your data', url: SAMPLE_LINK.url, style: 'positive' }]);
  });

  it('carries the URL only in that action: no text, no other field, not even the host', () => {
    const withUrl = stringFields(card).filter((f) => f.value.includes(SAMPLE_LINK.url));
    assert.deepEqual(
      withUrl.map((f) => f.path),
      ['actions[0].url'],
    );
    assert.equal(JSON.stringify(card).split('blob.core.windows.net').length - 1, 1);
    const others = stringFields(card).filter((f) => f.path !== 'actions[0].url' && /https?:|www\.|blob\.core/i.test(f.value));
    assert.deepEqual(others, []);
  });

  it('says when the link expires, in the tenant time zone, and that it is private', () => {
    const text = visibleText(card);
    assert.ok(text.includes('Mon 9 Mar 2026, 11:00 CET'), text);
    assert.ok(text.includes('This link is private'));
    assert.ok(text.includes("Don't forward it"));
  });

  it('says what is inside and how big it is', () => {
    const text = visibleText(card);
    for (const expected of [
      'as JSON',
      'CSV',
      'manifest.json',
      'SHA-256',
      'cover letter',
      'purposes',
      'recipients',
      'retention',
      'your rights',
      '7 files, 1.2 MB',
      'DSR-2026-0007',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
  });

  it('leaves the size out rather than guessing when the package info is missing', () => {
    const text = visibleText(buildPackageReadyCard(makeRequest({ state: 'ready' }), SAMPLE_LINK, 'UTC'));
    assert.ok(!/files?,/.test(text));
    assert.ok(text.includes('Mon 9 Mar 2026, 10:00 UTC'));
  });

  it('formats the expiry in other zones and falls back to UTC (named) for a bad zone', () => {
    const instant = new Date('2026-07-05T23:05:00Z');
    assert.equal(formatInstantForPeople(instant, 'Europe/London'), 'Mon 6 Jul 2026, 00:05 BST');
    assert.equal(formatInstantForPeople(instant, 'America/New_York'), 'Sun 5 Jul 2026, 19:05 GMT-4');
    assert.equal(formatInstantForPeople(instant, 'Not/AZone'), 'Sun 5 Jul 2026, 23:05 UTC');
  });

  it('refuses links that are not https (plain http only to a loopback host, as Azurite in local mode)', () => {
    const at = (url: string) => () => buildPackageReadyCard(request, { url, expiresAt: SAMPLE_LINK.expiresAt }, 'UTC');
    assert.throws(at('javascript:alert(1)'), /https/);
    assert.throws(at('http://stprivacydesk.blob.core.windows.net/exports/x.zip'), /https/);
    assert.throws(at('not a url'));
    assert.doesNotThrow(at('http://127.0.0.1:10000/devstoreaccount1/exports/x.zip?sig=abc'));
  });
});
