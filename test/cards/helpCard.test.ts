import assert from 'node:assert/strict';
import { buildHelpCard } from '../../cards/helpCard';
import { elementsOfType, visibleText } from './support/cardTree';

const COMMANDS = [
  { title: 'export <user>', description: 'File an export request for someone (privacy admins).' },
  { title: 'status DSR-2026-0007', description: 'Where a request stands.' },
  { title: 'requests', description: 'The requests you can see.' },
  { title: 'my data', description: 'Ask for a copy of your own data.' },
  { title: 'help', description: 'This list.' },
  { title: 'cancel', description: 'Leave the current conversation step' },
];
const NON_ADMIN_LINE = 'Filing a request for someone else is for privacy admins';
const CHANNEL_LINE = 'In a channel, mention Privacy Desk first';

describe('cards/helpCard', () => {
  it('lists every command given, in order, each with its description', () => {
    const card = buildHelpCard(COMMANDS, { isAdmin: true, inChannel: false });
    const runs = elementsOfType(card, 'TextRun').map((r) => r.text);
    assert.deepEqual(
      runs,
      COMMANDS.flatMap((c) => [c.title, c.description]),
    );
  });

  it('adds the admins-only line for non-admins only', () => {
    assert.ok(visibleText(buildHelpCard(COMMANDS, { isAdmin: false, inChannel: false })).includes(NON_ADMIN_LINE));
    assert.ok(!visibleText(buildHelpCard(COMMANDS, { isAdmin: true, inChannel: false })).includes(NON_ADMIN_LINE));
  });

  it('reminds channel users to @mention the bot, only in a channel', () => {
    assert.ok(visibleText(buildHelpCard(COMMANDS, { isAdmin: true, inChannel: true })).includes(CHANNEL_LINE));
    assert.ok(!visibleText(buildHelpCard(COMMANDS, { isAdmin: true, inChannel: false })).includes(CHANNEL_LINE));
  });

  it('works with a single command and with none', () => {
    assert.deepEqual(
      elementsOfType(buildHelpCard([COMMANDS[4]], { isAdmin: true, inChannel: false }), 'TextRun').map((r) => r.text),
      ['help', 'This list.'],
    );
    assert.deepEqual(elementsOfType(buildHelpCard([], { isAdmin: true, inChannel: false }), 'TextRun'), []);
  });
});

describe('cards/helpCard: commands that work elsewhere', () => {
  const ELSEWHERE = [{ title: '@Privacy Desk notify here', description: 'Make this channel the privacy team’s notification channel (admins)' }];

  it('lists them after the others, under a heading that says where they work', () => {
    const inChat = buildHelpCard(COMMANDS, { isAdmin: true, inChannel: false, elsewhere: ELSEWHERE });
    const text = visibleText(inChat);
    assert.ok(text.indexOf('In a team channel (mention Privacy Desk first)') > text.indexOf('Leave the current conversation step'));
    assert.deepEqual(
      elementsOfType(inChat, 'TextRun')
        .map((r) => r.text)
        .slice(-2),
      [ELSEWHERE[0]!.title, ELSEWHERE[0]!.description],
    );
    assert.ok(visibleText(buildHelpCard(COMMANDS, { isAdmin: true, inChannel: true, elsewhere: ELSEWHERE })).includes('In our 1:1 chat'));
  });

  it('has no such heading when every command works here', () => {
    assert.ok(!visibleText(buildHelpCard(COMMANDS, { isAdmin: true, inChannel: false })).includes('In a team channel'));
  });
});

describe('cards/helpCard: the time zone', () => {
  it('ends with the zone dates are read in, when given', () => {
    const text = visibleText(buildHelpCard([], { isAdmin: true, inChannel: false, timeZone: 'Europe/Berlin' }));
    assert.ok(text.endsWith('Dates are in Europe\\/Berlin time.'), text); // the zone is escaped for Markdown
    assert.ok(!visibleText(buildHelpCard([], { isAdmin: true, inChannel: false })).includes('Dates are in'));
  });
});
