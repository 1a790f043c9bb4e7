import assert from 'node:assert/strict';
import { escapeText, plainText, renderTemplate, TemplateDataMissing } from '../../cards/adaptiveCard';

/** CommonMark's rule: a backslash before ASCII punctuation shows that character literally. */
function unescapeCommonMark(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const TEMPLATE = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Hello ${name}' },
    { type: 'TextBlock', text: '${other}' },
    { $when: '${showOptional}', type: 'TextBlock', text: '${optional}' },
  ],
};

describe('cards/adaptiveCard', () => {
  describe('renderTemplate', () => {
    it('fills the template and does not evaluate ${...} found in the data', () => {
      const card = renderTemplate(TEMPLATE, { name: '${other}', other: 'OTHER', showOptional: false });
      assert.deepEqual(card.body, [
        { type: 'TextBlock', text: 'Hello ${other}' },
        { type: 'TextBlock', text: 'OTHER' },
      ]);
    });

    it('refuses to leave a placeholder unfilled (the engine would write "${field}" into the card)', () => {
      assert.throws(
        () => renderTemplate(TEMPLATE, { name: 'Megan', showOptional: false }),
        (e: unknown) => e instanceof TemplateDataMissing && e.paths.includes('other'),
      );
    });

    it('lets $when-guarded parts leave their data out, and restores the global hook afterwards', async () => {
      const { GlobalSettings } = await import('adaptivecards-templating');
      const before = GlobalSettings.getUndefinedFieldValueSubstitutionString;
      const card = renderTemplate(TEMPLATE, { name: 'Megan', other: 'x', showOptional: false });
      assert.equal(card.body.length, 2);
      assert.equal(GlobalSettings.getUndefinedFieldValueSubstitutionString, before);
    });

    it('drops $schema, so a sent card carries no URL of its own', () => {
      const card = renderTemplate(TEMPLATE, { name: 'Megan', other: 'x', showOptional: false });
      assert.equal(card.$schema, undefined);
      assert.equal(card.version, '1.5');
    });

    it('renders a template again with other data into a card of its own, leaving the template as it was', () => {
      const template = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: 'Hello ${name}' },
          { type: 'Container', items: [{ $data: '${rows}', type: 'TextBlock', text: '${$index}: ${label}' }] },
        ],
      };
      const pristine = structuredClone(template);
      const first = renderTemplate(template, { name: 'Megan', rows: [{ label: 'a' }, { label: 'b' }] });
      // A caller may change what it got (add an action, drop a part): the next render must not see it.
      (first.body[0] as { text: string }).text = 'changed';
      (first.body[1] as { items: unknown[] }).items.push({ type: 'TextBlock', text: 'added' });
      first.body.push({ type: 'TextBlock', text: 'added' });

      const second = renderTemplate(template, { name: 'Alex', rows: [{ label: 'c' }] });
      assert.deepEqual(second.body, [
        { type: 'TextBlock', text: 'Hello Alex' },
        { type: 'Container', items: [{ type: 'TextBlock', text: '0: c' }] },
      ]);
      assert.deepEqual(template, pristine);
    });

    it('still refuses missing data when the same template rendered fine before', () => {
      renderTemplate(TEMPLATE, { name: 'Megan', other: 'x', showOptional: false });
      assert.throws(
        () => renderTemplate(TEMPLATE, { name: 'Megan', showOptional: false }),
        (e: unknown) => e instanceof TemplateDataMissing && e.paths.length === 1 && e.paths[0] === 'other',
      );
      const after = renderTemplate(TEMPLATE, { name: 'Alex', other: 'y', showOptional: true, optional: 'z' });
      assert.deepEqual(after.body, [
        { type: 'TextBlock', text: 'Hello Alex' },
        { type: 'TextBlock', text: 'y' },
        { type: 'TextBlock', text: 'z' },
      ]);
    });

    it('rejects a template that is not an AdaptiveCard', () => {
      assert.throws(() => renderTemplate({ type: 'TextBlock', text: 'x' }, {}), /AdaptiveCard/);
    });
  });

  describe('escapeText', () => {
    it('backslash-escapes every Markdown special character the project names', () => {
      for (const c of ['\\', '*', '_', '[', ']', '(', ')', '#', '+', '-', '`', '!', '>', '~', '|']) {
        assert.equal(escapeText(`a${c}b`), `a\\${c}b`, `character ${c}`);
      }
    });

    it('escapes "1." list markers, autolink brackets, braces and the dots and colons of bare URLs', () => {
      assert.equal(escapeText('1. Megan'), '1\\. Megan');
      assert.equal(escapeText('<https://evil.example>'), '\\<https\\:\\/\\/evil\\.example\\>');
      assert.equal(escapeText('${request.id}'), '\\$\\{request\\.id\\}');
      assert.equal(escapeText('{{DATE(2026-02-26T10:00:00Z, SHORT)}}'), '\\{\\{DATE\\(2026\\-02\\-26T10\\:00\\:00Z, SHORT\\)\\}\\}');
    });

    it("leaves letters, digits, spaces, apostrophes and commas alone (O'Neil; Bowen, Megan)", () => {
      assert.equal(escapeText("Bowen, Megan O'Neil 2nd Zoë"), "Bowen, Megan O'Neil 2nd Zoë");
    });

    it('reads back exactly as typed under CommonMark', () => {
      const samples = [
        '[click](https://evil.example) **bold** ${request.id}',
        '# heading\n- item\n> quote\n1. one\n===',
        'a\\*b `code` ~~strike~~ | pipe | _u_ <b>html</b> &amp;',
        "Anne-Marie O'Neil, Jr.",
      ];
      for (const s of samples) assert.equal(unescapeCommonMark(escapeText(s)), s);
    });

    it('removes bidirectional overrides and control characters', () => {
      assert.equal(escapeText('Megan\u202E\u0007 Bowen'), 'Megan Bowen');
    });
  });

  describe('plainText', () => {
    it('keeps Markdown and ${...} exactly as typed (TextRuns have no Markdown)', () => {
      const s = '[click](https://evil.example) **bold** ${request.id}';
      assert.equal(plainText(s), s);
    });

    it('breaks {{DATE(...)}} text functions invisibly and drops bidi overrides', () => {
      assert.equal(plainText('{{DATE(2026-02-26T10:00:00Z)}}'), '{\u200B{DATE(2026-02-26T10:00:00Z)}}');
      assert.equal(plainText('Megan\u202EnewoB'), 'MegannewoB');
    });
  });
});
