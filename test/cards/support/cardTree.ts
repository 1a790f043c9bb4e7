/**
 * Walks a card's JSON and says, for every string, where it sits, so tests can tell a TextRun (no
 * Markdown) from a field that hosts run through Markdown.
 */
export interface StringField {
  /** JSON path, e.g. body[1].inlines[0].text */
  path: string;
  key: string;
  /** The `type` of the object that holds the string, if it has one ("TextRun", "TextBlock", ...). */
  ownerType?: string;
  /** True for a Fact's title or value (a Fact has no `type`). */
  inFact: boolean;
  value: string;
}

export function stringFields(node: unknown, path = '', inFacts = false): StringField[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => stringFields(item, `${path}[${i}]`, inFacts));
  if (typeof node !== 'object' || node === null) return [];
  const obj = node as Record<string, unknown>;
  const ownerType = typeof obj.type === 'string' ? obj.type : undefined;
  const out: StringField[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const here = path ? `${path}.${key}` : key;
    if (typeof value === 'string') out.push({ path: here, key, ownerType, inFact: inFacts && !ownerType, value });
    else out.push(...stringFields(value, here, key === 'facts'));
  }
  return out;
}

/** Fields whose text Teams (and the JS renderer) run through Markdown: TextBlock.text, Fact.title/value. */
export function isMarkdownField(f: StringField): boolean {
  return (f.ownerType === 'TextBlock' && f.key === 'text') || (f.inFact && (f.key === 'title' || f.key === 'value'));
}

export function isTextRun(f: StringField): boolean {
  return f.ownerType === 'TextRun' && f.key === 'text';
}

/** Every object in the card with a `type` starting with "Action.", however deeply nested. */
export function allActions(node: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap(allActions);
  if (typeof node !== 'object' || node === null) return [];
  const obj = node as Record<string, unknown>;
  const here = typeof obj.type === 'string' && obj.type.startsWith('Action.') ? [obj] : [];
  return [...here, ...Object.values(obj).flatMap(allActions)];
}

/** Every object of a given element type, however deeply nested. */
export function elementsOfType(node: unknown, type: string): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap((n) => elementsOfType(n, type));
  if (typeof node !== 'object' || node === null) return [];
  const obj = node as Record<string, unknown>;
  const here = obj.type === type ? [obj] : [];
  return [...here, ...Object.values(obj).flatMap((v) => elementsOfType(v, type))];
}

/** What a person reads, roughly: TextBlock and TextRun text, facts, action titles, in order. */
export function visibleText(card: unknown): string {
  return stringFields(card)
    .filter((f) => isMarkdownField(f) || isTextRun(f) || (f.key === 'title' && f.ownerType?.startsWith('Action.')))
    .map((f) => f.value)
    .join('\n');
}
