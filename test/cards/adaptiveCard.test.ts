import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import { escapeText, expandDirectly, plainText, renderTemplate, TemplateDataMissing } from '../../cards/adaptiveCard';
import requestListTemplate from '../../cards/requestListCard.json';

const CARDS_DIR = join(__dirname, '../../cards');
const WHOLE_LOOKUP = /^\$\{(!?)([A-Za-z_][A-Za-z0-9_.]*)\}$/;

/** adaptivecards-templating itself, nothing of ours: what the direct expansion must always equal. */
function libraryExpansion(template: object, data: object): unknown {
  return new Template(template).expand({ $root: data });
}

/** A small seeded generator, so a failing case can be run again. */
function seeded(seed: number): () => number {
  // Spread small seeds over the whole range (xorshift starts near zero from a small one).
  let state = Math.imul(seed, 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * Data for a template, made up from the names its `${…}` use: flags for $when, lists of 0–3 items
 * (or sometimes one object) for $data with the names used inside them, and values of every kind
 * elsewhere, now and then missing, null or in another case, so both engines meet what they would.
 */
function dataFor(template: unknown, random: () => number): Record<string, unknown> {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const set = (scope: Record<string, unknown>, path: string, value: () => unknown) => {
    const names = path.split('.');
    let at = scope;
    for (const name of names.slice(0, -1)) at = (at[name] ??= {}) as Record<string, unknown>;
    const last = names.at(-1)!;
    if (last in at) return;
    const roll = random();
    if (roll < 0.04) return;
    at[roll < 0.06 ? last.toUpperCase() : last] = roll < 0.08 ? null : value();
  };
  const scalar = () => pick<unknown>(['text', '${other}', '', 0, 42, true, false, { nested: 'x' }, ['a', 'b'], "O'Neil [x](y)"]);
  const fill = (node: unknown, scope: Record<string, unknown>): void => {
    if (typeof node === 'string') {
      const match = WHOLE_LOOKUP.exec(node);
      if (match) set(scope, match[2]!, scalar);
      return;
    }
    if (Array.isArray(node)) return node.forEach((item) => fill(item, scope));
    if (typeof node !== 'object' || node === null) return;
    const { $data, $when, ...rest } = node as Record<string, unknown>;
    const itemScopes: Record<string, unknown>[] = [];
    const listName = typeof $data === 'string' ? WHOLE_LOOKUP.exec($data)?.[2] : undefined;
    if (listName) {
      set(scope, listName, () => {
        const items = Array.from({ length: Math.floor(random() * 4) }, () => ({}));
        return random() < 0.15 ? { single: true } : items;
      });
      const list = listName.split('.').reduce<unknown>((at, name) => (at as Record<string, unknown> | undefined)?.[name], scope);
      if (Array.isArray(list)) itemScopes.push(...(list as Record<string, unknown>[]));
      else if (typeof list === 'object' && list !== null) itemScopes.push(list as Record<string, unknown>);
    } else itemScopes.push(scope);
    for (const itemScope of itemScopes) {
      const flag = typeof $when === 'string' ? WHOLE_LOOKUP.exec($when)?.[2] : undefined;
      if (flag) set(itemScope, flag, () => (random() < 0.9 ? random() < 0.5 : 'yes'));
      for (const value of Object.values(rest)) fill(value, itemScope);
    }
  };
  const data: Record<string, unknown> = {};
  fill(template, data);
  return data;
}

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

  describe('the direct expansion (what renderTemplate uses where it can)', () => {
    const templates = readdirSync(CARDS_DIR)
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({ name, template: JSON.parse(readFileSync(join(CARDS_DIR, name), 'utf8')) as object }));

    it('expands every card template exactly as adaptivecards-templating does, whatever the data', () => {
      let compared = 0;
      for (const { name, template } of templates) {
        for (let seed = 1; seed <= 150; seed++) {
          const data = dataFor(template, seeded(seed));
          const direct = expandDirectly(template, data);
          if (direct === undefined) continue;
          compared += 1;
          assert.deepEqual(direct, libraryExpansion(template, data), `${name}, seed ${seed}`);
        }
      }
      assert.ok(compared > 500, `only ${compared} expansions were compared`);
    });

    it('follows the library on the edges of its rules', () => {
      const template = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: '${Title}' },
          null,
          { $when: '${shown}', type: 'TextBlock', text: 'when' },
          { $when: '${!shown}', type: 'TextBlock', text: 'unless' },
          { $data: '${rows}', type: 'TextBlock', text: '${label}', extra: { deep: '${label}', list: ['${label}', 1, null] } },
          { $data: '${one}', type: 'TextBlock', text: '${label}' },
          { $data: '${none}', type: 'TextBlock', text: 'never' },
          '${spliced}',
        ],
        selectAction: { $when: '${shown}', type: 'Action.Execute', data: '${payload}' },
        actions: [{ $data: '${single}', type: 'Action.Execute', title: '${label}' }],
      };
      const cases: Array<Record<string, unknown>> = [
        {
          title: 'lower',
          shown: true,
          rows: [{ label: 'a' }, { LABEL: 'B' }],
          one: { label: 'solo' },
          none: [],
          spliced: ['x', 'y'],
          payload: { verb: 'v' },
          single: [{ label: 's' }],
        },
        { TITLE: 'upper', title: 'lower', shown: false, rows: [], one: { label: '${title}' }, none: [], spliced: 'z', payload: 0, single: [] },
        { Title: 'mixed', shown: true, rows: [{ label: 7 }], one: { label: false }, none: [], spliced: [], payload: [1, 2], single: { label: 'obj' } },
      ];
      for (const data of cases) {
        const direct = expandDirectly(template, data);
        assert.notEqual(direct, undefined, JSON.stringify(data));
        assert.deepEqual(direct, libraryExpansion(template, data), JSON.stringify(data));
      }
    });

    it('leaves to the library what it does not handle: other expressions, missing data, flags that are not booleans', () => {
      const card = (body: unknown[]) => ({ type: 'AdaptiveCard', version: '1.5', body });
      assert.equal(expandDirectly(card([{ type: 'TextBlock', text: 'Hello ${name}' }]), { name: 'x' }), undefined);
      assert.equal(expandDirectly(card([{ $when: '${count(rows) > 0}', type: 'TextBlock', text: 'x' }]), { rows: [] }), undefined);
      assert.equal(expandDirectly(card([{ type: 'TextBlock', text: '${$index}' }]), {}), undefined);
      assert.equal(expandDirectly(card([{ type: 'TextBlock', text: '${true}' }]), {}), undefined);
      assert.equal(expandDirectly(card([{ type: 'TextBlock', text: '${name}' }]), {}), undefined);
      assert.equal(expandDirectly(card([{ type: 'TextBlock', text: '${name}' }]), { name: null }), undefined);
      assert.equal(expandDirectly(card([{ $when: '${flag}', type: 'TextBlock', text: 'x' }]), { flag: 'yes' }), undefined);
      assert.equal(expandDirectly(card([{ $data: '${rows}', type: 'TextBlock', text: '${label}' }]), { rows: ['a'] }), undefined);
      // …and renderTemplate still refuses missing data, as the library reports it.
      assert.throws(
        () => renderTemplate(card([{ type: 'TextBlock', text: '${name}' }]), {}),
        (e: unknown) => e instanceof TemplateDataMissing && e.paths.join() === 'name',
      );
    });

    it('handles the request list template itself (the list a `requests` turn sends)', () => {
      const data = {
        title: 'All requests (1)',
        hasRows: true,
        emptySentence: '',
        rows: [{ reference: 'DSR-1', subjectName: 'Megan', state: 'Open', dueOn: 'Thu 26 Feb 2026', standing: '3 days left' }],
        hasMore: false,
        moreSentence: '',
      };
      const direct = expandDirectly(requestListTemplate, data);
      assert.notEqual(direct, undefined);
      assert.deepEqual(direct, libraryExpansion(requestListTemplate, data));
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
