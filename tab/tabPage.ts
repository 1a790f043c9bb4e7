import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` puts the bundled page (scripts/buildTab.ts), relative to the project root. */
export const TAB_WEB_BUILD_DIR = 'dist/tab/web';

/** Where the tab's page is served from; the built files are its only content. */
export const TAB_PAGE_PATH = '/tab';

/** The files of a built page (scripts/buildTab.ts) that are served, and as what. Nothing else is. */
const SERVED: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'main.js': 'text/javascript; charset=utf-8',
};

/**
 * Who may frame the page: Teams on the web, desktop and mobile, and the other Microsoft 365 hosts
 * teams-js supports (the Teams documentation's list for a tab's frame-ancestors).
 */
const TEAMS_FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.teams.microsoft.us',
  'https://local.teams.office.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://*.cloud.microsoft',
  'https://outlook.office.com',
];

/** Same-origin scripts and calls only; Fluent UI writes its styles at run time, hence inline styles. */
export const TAB_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  `frame-ancestors ${TEAMS_FRAME_ANCESTORS.join(' ')}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface TabPageFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * The built page, read once at start: a request names a file of SERVED or gets nothing, so no path
 * from a URL ever reaches the file system. Undefined when the page was not built.
 */
export function loadTabPage(dir: string): ReadonlyMap<string, TabPageFile> | undefined {
  if (!Object.keys(SERVED).every((name) => existsSync(join(dir, name)))) return undefined;
  return new Map(Object.entries(SERVED).map(([name, contentType]) => [name, { body: readFileSync(join(dir, name)), contentType }]));
}
