import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { PROJECT_ROOT } from '../../app/projectRoot';

/**
 * Every file a document names must exist: a reader who follows README.md or a decision record to a
 * file that was renamed or never written loses trust in the rest. Checked are relative Markdown links
 * and code spans that start with one of the project's own folders; what the build, a run or an
 * install creates (dist/, bench/results/, appPackage/build/, node_modules/) and spans with a
 * placeholder (`<bot>`, `*`, `{…}`, `$VAR`) are not files of the repository.
 */
const OWN_FOLDERS = [
  'adapters',
  'app',
  'appPackage',
  'bench',
  'bot',
  'cards',
  'config',
  'dialogs',
  'docs',
  'domain',
  'infra',
  'local',
  'scripts',
  'test',
  '.ci',
];
const GENERATED = ['dist/', 'bench/results/', 'appPackage/build/', 'node_modules/', '.tmp/', '.data/'];
const PLACEHOLDER = /[<>*{}$\s|…]/;

interface Reference {
  readonly document: string;
  readonly line: number;
  readonly target: string;
  /** The path as resolved in the repository. */
  readonly path: string;
}

function documents(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && !GENERATED.some((folder) => file.startsWith(folder)) && existsSync(join(PROJECT_ROOT, file)));
}

export function referencesIn(document: string, text: string): Reference[] {
  const found: Reference[] = [];
  const lines = text.split('\n');
  let fenced = false;
  for (const [index, line] of lines.entries()) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^([a-z]+:|#)/i.test(target!)) continue;
      const path = normalize(join(dirname(document), decodeURIComponent(target!.split('#')[0]!)));
      found.push({ document, line: index + 1, target: target!, path });
    }
    for (const [, span] of line.matchAll(/`([^`]+)`/g)) {
      const target = span!.replace(/:\d+(-\d+)?$/, '').replace(/^\.\//, '');
      const top = target.split('/')[0]!;
      if (!target.includes('/') || !OWN_FOLDERS.includes(top) || PLACEHOLDER.test(target)) continue;
      if (GENERATED.some((folder) => target.startsWith(folder))) continue;
      found.push({ document, line: index + 1, target: span!, path: normalize(target) });
    }
  }
  return found;
}

describe('documents', () => {
  it('name only files and folders that exist in the repository', () => {
    const missing = documents()
      .flatMap((document) => referencesIn(document, readFileSync(join(PROJECT_ROOT, document), 'utf8')))
      .filter((reference) => !GENERATED.some((folder) => reference.path.startsWith(folder)) && !existsSync(join(PROJECT_ROOT, reference.path)))
      .map((reference) => `${reference.document}:${reference.line}: ${reference.target}`);
    assert.deepEqual(missing, [], `documents name files that do not exist:\n${missing.join('\n')}`);
  });

  it('finds links and file names, and passes over placeholders, generated folders and code blocks', () => {
    const text = [
      'See [the decision](decisions/0001-sqlite-store-with-outbox.md#why) and `domain/requests/requestService.ts:12`.',
      'Profiles go to `bench/results/cpuprofiles/<bot>.cpuprofile`; the build writes `dist/app/main.js`.',
      'A web link [Teams](https://learn.microsoft.com/) and an anchor [up](#top).',
      '```sh',
      'cat `app/never.ts`',
      '```',
      '`app/gone.ts`',
    ].join('\n');
    assert.deepEqual(
      referencesIn('docs/production.md', text).map((reference) => [reference.line, reference.path]),
      [
        [1, 'docs/decisions/0001-sqlite-store-with-outbox.md'],
        [1, 'domain/requests/requestService.ts'],
        [7, 'app/gone.ts'],
      ],
    );
  });
});
