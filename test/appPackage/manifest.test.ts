/**
 * Teams app package: appPackage/manifest.json and its two icons.
 *
 * - The manifest is validated against the official Teams schema that
 *   @microsoft/app-manifest ships (build/json-schemas/teams/v1.22), with
 *   globalThis.fetch stubbed to throw so the check provably runs offline.
 * - Teams-side limits the JSON schema does not encode (command title <= 32,
 *   description <= 128, <= 10 commands per list) are checked separately.
 * - The icons are parsed and decoded here with node:zlib only (independent of
 *   scripts/make-icons.ts, so artwork from a designer is checked the same way).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';

const ROOT = join(__dirname, '..', '..');
const APP_PACKAGE = join(ROOT, 'appPackage');
const MANIFEST_PATH = join(APP_PACKAGE, 'manifest.json');

const PINNED_VERSION = '1.22';
/** The form @microsoft/app-manifest maps to build/json-schemas/teams/v1.22/MicrosoftTeams.schema.json. */
const PINNED_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${PINNED_VERSION}/MicrosoftTeams.schema.json`;
const BUNDLED_SCHEMA_PATH = join(
  dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
  `v${PINNED_VERSION}`,
  'MicrosoftTeams.schema.json',
);

/** Committed placeholder; the packaging step replaces it with the real Microsoft App ID (see appPackage/README.md). */
const BOT_ID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** Limits Teams enforces on bot command menus (stricter than the JSON schema's 128 / 4000). */
const TEAMS_LIMITS = { commandsPerList: 10, titleMax: 32, descriptionMax: 128 } as const;

const EXPECTED_COMMANDS: Record<'personal' | 'team', Array<[title: string, description: string]>> = {
  personal: [
    ['help', 'What Privacy Desk can do'],
    ['export', 'File an export request for a data subject (admins)'],
    ['export my data', 'Export your own personal data'],
    ['status', 'Where a request stands: status DSR-2026-0001'],
    ['requests', 'Requests you can see'],
    ['extend', 'Extend a deadline, with the reason the subject reads (admins)'],
    ['retry', 'Run a failed export again (admins)'],
    ['reissue', 'Send a fresh download link, without exporting again (admins)'],
    ['revoke', 'Make every download link for a request stop working (admins)'],
    ['register', 'Download the request register as CSV (admins)'],
  ],
  team: [
    ['help', 'What Privacy Desk can do'],
    ['notify here', "Make this channel the privacy team's notification channel (admins)"],
    ['status', 'Where a request stands: status DSR-2026-0001'],
    ['requests', 'Requests you can see'],
  ],
};

// ------------------------------------------------------------------ manifest types (the parts we read)

interface Command {
  title: string;
  description: string;
}
interface CommandList {
  scopes: string[];
  commands: Command[];
}
interface Bot {
  botId: string;
  scopes: string[];
  supportsFiles?: boolean;
  isNotificationOnly?: boolean;
  commandLists?: CommandList[];
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full?: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots?: Bot[];
  permissions?: string[];
  validDomains?: string[];
}

function readManifest(): Manifest {
  return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Validates through @microsoft/app-manifest; fails if it tries to reach the network. */
async function validateOffline(manifest: Manifest): Promise<string[]> {
  const realFetch = globalThis.fetch;
  const attempted: string[] = [];
  globalThis.fetch = (async (input: unknown) => {
    attempted.push(String(input));
    throw new Error('network access is not allowed in this test');
  }) as typeof fetch;
  try {
    return await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest);
  } finally {
    globalThis.fetch = realFetch;
    assert.deepEqual(attempted, [], `schema validation tried to fetch: ${attempted.join(', ')}`);
  }
}

/** Teams command-menu limits, returned as human-readable violations. */
function commandListViolations(lists: CommandList[]): string[] {
  const out: string[] = [];
  lists.forEach((list, li) => {
    const where = `commandLists[${li}] (${list.scopes.join(',')})`;
    if (list.commands.length > TEAMS_LIMITS.commandsPerList) {
      out.push(`${where}: ${list.commands.length} commands > ${TEAMS_LIMITS.commandsPerList}`);
    }
    const seen = new Set<string>();
    for (const c of list.commands) {
      if (c.title.trim() === '' || c.title !== c.title.trim()) out.push(`${where}: bad title ${JSON.stringify(c.title)}`);
      if (c.title.length > TEAMS_LIMITS.titleMax) {
        out.push(`${where}: title "${c.title}" is ${c.title.length} chars > ${TEAMS_LIMITS.titleMax}`);
      }
      if (c.description.trim() === '') out.push(`${where}: "${c.title}" has an empty description`);
      if (c.description.length > TEAMS_LIMITS.descriptionMax) {
        out.push(`${where}: description of "${c.title}" is ${c.description.length} chars > ${TEAMS_LIMITS.descriptionMax}`);
      }
      const key = c.title.toLowerCase();
      if (seen.has(key)) out.push(`${where}: duplicate title "${c.title}"`);
      seen.add(key);
    }
  });
  const scopes = lists.flatMap((l) => l.scopes);
  if (new Set(scopes).size !== scopes.length) out.push(`a scope appears in more than one command list: ${scopes.join(',')}`);
  return out;
}

// ------------------------------------------------------------------ PNG reading (node:zlib only)

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}
interface DecodedPng extends PngHeader {
  /** RGBA, 8 bits per channel. */
  rgba: Uint8Array;
  hasAlphaInfo: boolean;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function readChunks(buf: Buffer): Array<{ type: string; data: Buffer }> {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  const chunks: Array<{ type: string; data: Buffer }> = [];
  let off = 8;
  while (off < buf.length) {
    if (off + 12 > buf.length) throw new Error('truncated PNG chunk');
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const end = off + 8 + len;
    if (end + 4 > buf.length) throw new Error(`truncated ${type} chunk`);
    const data = buf.subarray(off + 8, end);
    if (crc32(buf.subarray(off + 4, end)) >>> 0 !== buf.readUInt32BE(end)) throw new Error(`bad CRC in ${type} chunk`);
    chunks.push({ type, data });
    off = end + 4;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new Error('first chunk is not IHDR');
  if (chunks[chunks.length - 1]?.type !== 'IEND') throw new Error('missing IEND');
  return chunks;
}

/** Reads the IHDR chunk (dimensions, bit depth, colour type). */
function readPngHeader(buf: Buffer): PngHeader {
  const ihdr = readChunks(buf)[0]!.data;
  if (ihdr.length !== 13) throw new Error('IHDR must be 13 bytes');
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8]!,
    colorType: ihdr[9]!,
    interlace: ihdr[12]!,
  };
}

/** Decodes 8-bit, non-interlaced PNGs of colour type 0, 2, 3, 4 or 6 to RGBA. */
function decodePng(buf: Buffer): DecodedPng {
  const chunks = readChunks(buf);
  const header = readPngHeader(buf);
  const { width, height, bitDepth, colorType, interlace } = header;
  if (bitDepth !== 8) throw new Error(`unsupported bit depth ${bitDepth} (this test decodes 8-bit PNGs)`);
  if (interlace !== 0) throw new Error('interlaced PNGs are not supported by this test');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!channels) throw new Error(`bad colour type ${colorType}`);
  const plte = chunks.find((c) => c.type === 'PLTE')?.data;
  const trns = chunks.find((c) => c.type === 'tRNS')?.data;
  if (colorType === 3 && !plte) throw new Error('palette PNG without PLTE');

  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels;
  if (raw.length !== (stride + 1) * height) throw new Error(`IDAT holds ${raw.length} bytes, expected ${(stride + 1) * height}`);

  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= channels ? px[row + i - channels]! : 0;
      const b = y > 0 ? px[row - stride + i]! : 0;
      const c = y > 0 && i >= channels ? px[row - stride + i - channels]! : 0;
      let v: number;
      switch (filter) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad filter type ${filter} on row ${y}`);
      }
      px[row + i] = v & 0xff;
    }
  }

  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    let r: number,
      g: number,
      b: number,
      al = 255;
    if (colorType === 0) {
      r = g = b = px[s]!;
      if (trns && trns.length >= 2 && trns.readUInt16BE(0) === r) al = 0;
    } else if (colorType === 4) {
      r = g = b = px[s]!;
      al = px[s + 1]!;
    } else if (colorType === 2) {
      [r, g, b] = [px[s]!, px[s + 1]!, px[s + 2]!];
      if (trns && trns.length >= 6 && trns.readUInt16BE(0) === r && trns.readUInt16BE(2) === g && trns.readUInt16BE(4) === b) al = 0;
    } else if (colorType === 6) {
      [r, g, b, al] = [px[s]!, px[s + 1]!, px[s + 2]!, px[s + 3]!];
    } else {
      const idx = px[s]!;
      if (idx * 3 + 2 >= plte!.length) throw new Error(`palette index ${idx} out of range`);
      [r, g, b] = [plte![idx * 3]!, plte![idx * 3 + 1]!, plte![idx * 3 + 2]!];
      al = trns && idx < trns.length ? trns[idx]! : 255;
    }
    rgba.set([r, g, b, al], p * 4);
  }
  return { ...header, rgba, hasAlphaInfo: colorType === 4 || colorType === 6 || trns !== undefined };
}

/** Outline icon rules: only white or fully transparent pixels, transparent border, a visible glyph. */
function outlineViolations(img: { width: number; height: number; rgba: Uint8Array }): string[] {
  const out: string[] = [];
  const { width, height, rgba } = img;
  let nonWhite = 0;
  let firstBad = '';
  let visible = 0;
  let transparent = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b, a] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!, rgba[i + 3]!];
      if (a === 0) {
        transparent++;
        continue;
      }
      visible++;
      if (r !== 255 || g !== 255 || b !== 255) {
        if (nonWhite++ === 0) firstBad = `(${x},${y}) = rgba(${r},${g},${b},${a})`;
      }
    }
  }
  if (nonWhite > 0) out.push(`${nonWhite} visible pixel(s) are not white, first at ${firstBad}`);
  if (visible === 0) out.push('outline icon is empty');
  if (transparent < (width * height) / 4) out.push(`only ${transparent} fully transparent pixels: background is not transparent`);
  const corners: Array<[number, number]> = [
    [0, 0],
    [width - 1, 0],
    [0, height - 1],
    [width - 1, height - 1],
  ];
  for (const [x, y] of corners) {
    const a = rgba[(y * width + x) * 4 + 3]!;
    if (a !== 0) out.push(`corner (${x},${y}) has alpha ${a}, expected a transparent background`);
  }
  return out;
}

// ------------------------------------------------------------------ tests

describe('appPackage/manifest.json', () => {
  const manifest = readManifest();

  it(`pins schema v${PINNED_VERSION} in the URL form @microsoft/app-manifest resolves to its bundled copy`, () => {
    assert.equal(manifest.$schema, PINNED_SCHEMA_URL);
    assert.equal(manifest.manifestVersion, PINNED_VERSION);
    assert.ok(existsSync(BUNDLED_SCHEMA_PATH), `bundled schema missing: ${BUNDLED_SCHEMA_PATH}`);
  });

  it('validates against the pinned official schema with zero errors, offline', async () => {
    const errors = await validateOffline(manifest);
    assert.deepEqual(errors, [], `schema errors:\n  ${errors.join('\n  ')}`);
  });

  it('schema validation is not vacuous: placeholders and overlong names are reported', async () => {
    const bad = clone(manifest);
    bad.bots![0]!.botId = '${{BOT_ID}}';
    bad.name.short = 'x'.repeat(31);
    const errors = await validateOffline(bad);
    assert.ok(
      errors.some((e) => e.startsWith('/bots/0/botId ')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.startsWith('/name/short ')),
      errors.join('\n'),
    );
  });

  it('app id and bot id are GUIDs; the committed bot id is the placeholder the build substitutes', () => {
    assert.match(manifest.id, GUID);
    assert.notEqual(manifest.id, BOT_ID_PLACEHOLDER, 'app id must be a real, fixed GUID');
    assert.equal(manifest.bots?.length, 1, 'exactly one bot');
    const botId = manifest.bots![0]!.botId;
    assert.match(botId, GUID);
    assert.equal(
      botId,
      BOT_ID_PLACEHOLDER,
      'commit the placeholder bot id; the real Microsoft App ID is injected when the package is built (appPackage/README.md)',
    );
  });

  it("names and descriptions are as specified and within the schema's length limits", () => {
    assert.equal(manifest.name.short, 'Privacy Desk');
    assert.equal(manifest.name.full, 'Privacy Desk — data subject export requests');
    const schema = JSON.parse(readFileSync(BUNDLED_SCHEMA_PATH, 'utf8')) as {
      properties: Record<string, { properties: Record<string, { maxLength: number }> }>;
    };
    const limit = (prop: string, sub: string): number => {
      const max = schema.properties[prop]?.properties[sub]?.maxLength;
      assert.equal(typeof max, 'number', `schema has no maxLength for ${prop}.${sub}`);
      return max!;
    };
    const fields: Array<[string, string, string | undefined]> = [
      ['name', 'short', manifest.name.short],
      ['name', 'full', manifest.name.full],
      ['description', 'short', manifest.description.short],
      ['description', 'full', manifest.description.full],
      ['developer', 'name', manifest.developer.name],
    ];
    for (const [prop, sub, value] of fields) {
      assert.ok(value && value.trim().length > 0, `${prop}.${sub} is empty`);
      assert.ok(value.length <= limit(prop, sub), `${prop}.${sub} is ${value.length} chars > ${limit(prop, sub)}`);
    }
    assert.equal(limit('name', 'short'), 30);
    assert.match(manifest.description.full, /privacy team/i);
    assert.match(manifest.description.short, /export/i);
  });

  it('developer URLs are https, icons point at the packaged files, accent colour is #rrggbb', () => {
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) {
      assert.match(manifest.developer[key], /^https:\/\/[^/]+/, `developer.${key}`);
    }
    assert.deepEqual(manifest.icons, { color: 'color.png', outline: 'outline.png' });
    assert.match(manifest.accentColor, /^#[0-9a-fA-F]{6}$/);
  });

  it('declares one conversational bot for personal, team and groupChat, without files', () => {
    const bot = manifest.bots![0]!;
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    assert.equal(bot.supportsFiles, false);
    assert.equal(bot.isNotificationOnly, false);
    assert.deepEqual(manifest.permissions, ['identity', 'messageTeamMembers']);
    assert.deepEqual(manifest.validDomains, []);
  });

  it('has exactly the specified personal and team command lists', () => {
    const lists = manifest.bots![0]!.commandLists ?? [];
    assert.deepEqual(
      lists.map((l) => l.scopes),
      [['personal'], ['team']],
    );
    for (const scope of ['personal', 'team'] as const) {
      const list = lists.find((l) => l.scopes.includes(scope))!;
      assert.deepEqual(
        list.commands.map((c) => [c.title, c.description]),
        EXPECTED_COMMANDS[scope],
        `${scope} command list`,
      );
    }
  });

  it("every command list stays within Teams' limits (10 commands, title 32, description 128)", () => {
    const violations = commandListViolations(manifest.bots![0]!.commandLists ?? []);
    assert.deepEqual(violations, [], violations.join('\n'));
  });

  it('the command-list check catches overlong, duplicate and too many commands', () => {
    const tooMany: CommandList = {
      scopes: ['personal'],
      commands: Array.from({ length: 11 }, (_, i) => ({ title: `cmd${i}`, description: 'd' })),
    };
    const bad: CommandList = {
      scopes: ['team'],
      commands: [
        { title: 'x'.repeat(33), description: 'd' },
        { title: 'help', description: 'y'.repeat(129) },
        { title: 'Help', description: 'dup' },
      ],
    };
    const v = commandListViolations([tooMany, bad]);
    assert.ok(
      v.some((s) => s.includes('11 commands > 10')),
      v.join('\n'),
    );
    assert.ok(
      v.some((s) => s.includes('is 33 chars > 32')),
      v.join('\n'),
    );
    assert.ok(
      v.some((s) => s.includes('is 129 chars > 128')),
      v.join('\n'),
    );
    assert.ok(
      v.some((s) => s.includes('duplicate title "Help"')),
      v.join('\n'),
    );
  });
});

describe('appPackage icons', () => {
  const manifest = readManifest();
  const colorPath = join(APP_PACKAGE, manifest.icons.color);
  const outlinePath = join(APP_PACKAGE, manifest.icons.outline);

  it('color.png is a 192x192 full-colour PNG on a solid accent-colour background', () => {
    assert.ok(existsSync(colorPath), `missing ${colorPath}`);
    const buf = readFileSync(colorPath);
    const header = readPngHeader(buf);
    assert.deepEqual([header.width, header.height], [192, 192], 'IHDR size');
    assert.ok([2, 3, 6].includes(header.colorType), `colour type ${header.colorType} is not full-colour`);
    const img = decodePng(buf);
    const accent = manifest.accentColor
      .slice(1)
      .match(/../g)!
      .map((h) => parseInt(h, 16));
    for (const [x, y] of [
      [0, 0],
      [191, 0],
      [0, 191],
      [191, 191],
    ] as const) {
      const i = (y * 192 + x) * 4;
      assert.deepEqual([...img.rgba.subarray(i, i + 4)], [...accent, 255], `background at (${x},${y})`);
    }
    const distinct = new Set<number>();
    for (let i = 0; i < img.rgba.length; i += 4) {
      distinct.add((img.rgba[i]! << 16) | (img.rgba[i + 1]! << 8) | img.rgba[i + 2]!);
    }
    assert.ok(distinct.size > 1, 'color icon is a single flat colour (no glyph)');
  });

  it('outline.png is a 32x32 PNG with an alpha channel', () => {
    assert.ok(existsSync(outlinePath), `missing ${outlinePath}`);
    const header = readPngHeader(readFileSync(outlinePath));
    assert.deepEqual([header.width, header.height], [32, 32], 'IHDR size');
    assert.ok(decodePng(readFileSync(outlinePath)).hasAlphaInfo, 'outline icon needs transparency (alpha channel or tRNS)');
  });

  it('outline.png is white-or-transparent only, on a transparent background', () => {
    const img = decodePng(readFileSync(outlinePath));
    const violations = outlineViolations(img);
    assert.deepEqual(violations, [], violations.join('\n'));
  });

  it('the outline check catches coloured pixels and an opaque background', () => {
    const img = decodePng(readFileSync(outlinePath));
    const tinted = { ...img, rgba: Uint8Array.from(img.rgba) };
    let i = 0;
    while (tinted.rgba[i + 3] === 0) i += 4; // first visible pixel
    tinted.rgba.set([255, 0, 0, 255], i);
    assert.ok(outlineViolations(tinted).some((v) => v.includes('not white')));

    const opaque = { ...img, rgba: Uint8Array.from(img.rgba) };
    for (let j = 3; j < opaque.rgba.length; j += 4) opaque.rgba[j] = 255;
    const v = outlineViolations(opaque);
    assert.ok(
      v.some((s) => s.includes('background is not transparent')),
      v.join('\n'),
    );
  });

  it('the PNG reader rejects non-PNG bytes and corrupted chunks', () => {
    assert.throws(() => readPngHeader(Buffer.from('not a png at all')), /bad signature/);
    const corrupt = Buffer.from(readFileSync(outlinePath));
    corrupt[16] = corrupt[16]! ^ 0xff; // inside IHDR data (width)
    assert.throws(() => readPngHeader(corrupt), /bad CRC in IHDR/);
  });
});
