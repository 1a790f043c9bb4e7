import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding package.json. Files that ship beside the code (the Teams manifest, demo data)
 * are found from here, so the same code works from its TypeScript source (npm start) and compiled
 * into dist/ (production).
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);

export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
