/**
 * Builds the Teams app package for one environment: a ZIP holding manifest.json, color.png and
 * outline.png at its root, ready to upload in the Teams admin center.
 *
 *   node --import tsx scripts/packageApp.ts [env] [--dotenv <path>] [--out <zip>]
 *
 * `env` names the output only (default "production"): dist/appPackage.<env>.zip unless --out says
 * otherwise. Settings come from the environment, then from a .env file: the current directory's
 * `.env`, or the one given with --dotenv (not --env-file: Node 20 claims that flag wherever it appears
 * on the command line). Values already in the environment win.
 *
 *
 *   MicrosoftAppId            required: the Azure Bot's app id. Becomes bots[0].botId and
 *                             webApplicationInfo.id (+ resource api://botid-<id>).
 *   TEAMS_APP_ID              optional: the Teams app id (manifest `id`), e.g. one per environment.
 *   PRIVACY_DESK_APP_VERSION  optional: the package version (MAJOR.MINOR.PATCH).
 *   BOT_PUBLIC_HOSTNAME       optional: the bot's public host (no scheme), added to validDomains.
 *
 * The committed appPackage/manifest.json is read and parsed, never written: substitution happens in
 * the parsed JSON, the result is validated against the v1.22 schema bundled in @microsoft/app-manifest
 * (offline: the schema file is read from disk and handed to the validator, so nothing is fetched),
 * the icons' sizes are checked, and only then is the ZIP written (to a temporary name, then renamed),
 * so a refusal never leaves a package behind. Warnings (not refusals): the example.com developer
 * placeholders, and a Graph identity (GRAPH_CLIENT_ID / GRAPH_MANAGED_IDENTITY_CLIENT_ID) other than
 * the app id in webApplicationInfo. See appPackage/README.md and docs/production.md.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { projectPath } from '../app/projectRoot';
import { TAB_PAGE_PATH } from '../tab/tabPage';

/** The committed package sources. */
export const APP_PACKAGE_DIR = projectPath('appPackage');

export const PINNED_MANIFEST_VERSION = '1.22';
/** The only `$schema` form @microsoft/app-manifest maps to its bundled copy (appPackage/README.md). */
export const PINNED_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${PINNED_MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const BUNDLED_SCHEMA_PATH = join(
  dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
  `v${PINNED_MANIFEST_VERSION}`,
  'MicrosoftTeams.schema.json',
);

/** The committed bot id: matches the GUID pattern but belongs to no bot registration. */
export const BOT_ID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const NIL_GUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
/** Teams wants MAJOR.MINOR.PATCH, numbers only; the schema itself only limits the length. */
const APP_VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** Sizes Teams requires (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package). */
export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** Every ZIP entry gets this timestamp, so the same inputs give the same bytes. */
const ENTRY_DATE = new Date(2024, 0, 1, 0, 0, 0);

export interface BuildAppPackageOptions {
  /** The Azure Bot's Microsoft App ID (MicrosoftAppId). */
  appId: string;
  /** MAJOR.MINOR.PATCH; default: the committed manifest's version. */
  appVersion?: string;
  /** The Teams app id (manifest `id`); default: the committed one. */
  teamsAppId?: string;
  /** The bot's public host name, e.g. privacydesk.contoso.com (no scheme, path or port). */
  publicHostname?: string;
  /** Where the ZIP goes. Must not be inside appPackage/. */
  outFile: string;
  /** The folder holding manifest.json and the icons; default appPackage/. For tests. */
  appPackageDir?: string;
}

/** The parts of the manifest the build reads or writes. */
export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  icons: { color: string; outline: string };
  bots?: Array<{ botId: string; [key: string]: unknown }>;
  webApplicationInfo?: { id: string; resource?: string };
  validDomains?: string[];
  staticTabs?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface BuiltAppPackage {
  outFile: string;
  manifest: TeamsManifest;
  /** Things worth fixing that do not stop the build (e.g. the example.com developer placeholders). */
  warnings: string[];
}

/** A refusal with a sentence meant for the person running the build. */
export class AppPackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppPackageError';
  }
}

// ------------------------------------------------------------------ checks on the inputs

export function checkBotAppId(value: string | undefined): string {
  const appId = (value ?? '').trim();
  if (appId === '') {
    throw new AppPackageError(
      'MicrosoftAppId is not set. Put the Azure Bot’s Microsoft App ID (a GUID, shown on the bot’s Configuration page) in the environment or in .env. No package was written.',
    );
  }
  if (!GUID.test(appId)) {
    throw new AppPackageError(
      `MicrosoftAppId ${JSON.stringify(truncate(appId, 60))} is not a GUID: expected 32 hexadecimal digits as 8-4-4-4-12, like 0d0a2c1e-5b1f-4c4e-9a3b-7f6e5d4c3b2a. No package was written.`,
    );
  }
  if (NIL_GUID.test(appId)) {
    throw new AppPackageError(
      'MicrosoftAppId is the all-zeros placeholder from appPackage/manifest.json, not a real bot’s app id. Use the Azure Bot’s Microsoft App ID. No package was written.',
    );
  }
  return appId;
}

export function checkTeamsAppId(value: string): string {
  const id = value.trim();
  if (!GUID.test(id) || NIL_GUID.test(id)) {
    throw new AppPackageError(
      `TEAMS_APP_ID ${JSON.stringify(truncate(id, 60))} is not a usable Teams app id: it must be a GUID other than all zeros (generate one once per environment and keep it). No package was written.`,
    );
  }
  return id;
}

export function checkAppVersion(value: string): string {
  const version = value.trim();
  if (!APP_VERSION.test(version)) {
    throw new AppPackageError(
      `PRIVACY_DESK_APP_VERSION ${JSON.stringify(truncate(version, 60))} is not a Teams app version: use MAJOR.MINOR.PATCH with numbers only, like 1.2.0. No package was written.`,
    );
  }
  return version;
}

/** A DNS host name as validDomains wants it: no scheme, path, port or wildcard; lower case. */
export function checkPublicHostname(value: string): string {
  const raw = value.trim();
  const problem = (why: string) =>
    new AppPackageError(
      `BOT_PUBLIC_HOSTNAME ${JSON.stringify(truncate(raw, 80))} ${why}: give the bot’s public host name only, like privacydesk.contoso.com. No package was written.`,
    );
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw problem('includes a scheme');
  if (raw.includes('/')) throw problem('includes a path');
  if (raw.includes(':')) throw problem('includes a port');
  if (raw.includes('*')) throw problem('is a wildcard');
  const host = raw.toLowerCase().replace(/\.$/, '');
  const labels = host.split('.');
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l))) throw problem('is not a host name');
  if (/^\d+$/.test(labels[labels.length - 1]!)) throw problem('is an IP address, not a host name');
  if (host === 'localhost' || host.endsWith('.localhost')) throw problem('is a local host name');
  return host;
}

// ------------------------------------------------------------------ manifest

function readCommittedManifest(dir: string): TeamsManifest {
  const path = join(dir, 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppPackageError(`Cannot read ${path} as JSON: ${(error as Error).message}. No package was written.`);
  }
  const manifest = parsed as TeamsManifest;
  if (manifest.$schema !== PINNED_SCHEMA_URL || manifest.manifestVersion !== PINNED_MANIFEST_VERSION) {
    throw new AppPackageError(
      `${path} must pin schema v${PINNED_MANIFEST_VERSION} as ${PINNED_SCHEMA_URL} (so it can be validated offline); it has ${JSON.stringify(manifest.$schema)}, manifestVersion ${JSON.stringify(manifest.manifestVersion)}. No package was written.`,
    );
  }
  if (!Array.isArray(manifest.bots) || manifest.bots.length !== 1) {
    throw new AppPackageError(`${path} must declare exactly one bot. No package was written.`);
  }
  return manifest;
}

/** Substitutes the environment's values into a copy of the committed manifest. */
export function fillManifest(
  committed: TeamsManifest,
  values: { appId: string; appVersion?: string; teamsAppId?: string; publicHostname?: string },
): TeamsManifest {
  const manifest = JSON.parse(JSON.stringify(committed)) as TeamsManifest;
  manifest.bots![0]!.botId = values.appId;
  // Required by Microsoft Graph's TeamsAppInstallation.ReadWriteSelfForUser.All: the app id Graph
  // tokens are issued to must equal webApplicationInfo.id. api://botid-<id> is the bot form of resource.
  manifest.webApplicationInfo = { id: values.appId, resource: `api://botid-${values.appId}` };
  if (values.teamsAppId) manifest.id = values.teamsAppId;
  if (values.appVersion) manifest.version = values.appVersion;
  if (values.publicHostname) {
    const domains = new Set((manifest.validDomains ?? []).map((d) => d.toLowerCase()));
    domains.add(values.publicHostname);
    manifest.validDomains = [...domains];
    // The tab lives on the bot's own host, so it exists only when the host is known. Its sign-in
    // token is for this resource (the Entra app's Application ID URI, docs/production.md (a)), the
    // audience the tab's API checks (decision 0023).
    manifest.webApplicationInfo = { id: values.appId, resource: `api://${values.publicHostname}/${values.appId}` };
    manifest.staticTabs = personalTabs(values.publicHostname);
  }
  return manifest;
}

/** The tab's id in the manifest: Teams keeps a person's place in a tab by it, so it never changes. */
export const MY_DATA_REQUESTS_TAB_ID = 'my-data-requests';

/** The personal app's tabs: the chat with the bot first (Teams' own "conversations" tab), then the page. */
function personalTabs(host: string): Array<Record<string, unknown>> {
  return [
    { entityId: 'conversations', scopes: ['personal'] },
    { entityId: MY_DATA_REQUESTS_TAB_ID, name: 'My data requests', contentUrl: `https://${host}${TAB_PAGE_PATH}/`, scopes: ['personal'] },
  ];
}

/** Validates against the bundled v1.22 schema. The schema is passed in, so the validator has nothing to fetch. */
export async function validateManifestOffline(manifest: TeamsManifest): Promise<string[]> {
  const text = readFileSync(BUNDLED_SCHEMA_PATH, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = JSON.parse(text) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema);
}

function placeholderWarnings(manifest: TeamsManifest): string[] {
  const warnings: string[] = [];
  const dev = manifest.developer;
  const urls = [dev.websiteUrl, dev.privacyUrl, dev.termsOfUseUrl];
  if (urls.some((u) => /^https?:\/\/([^/]*\.)?example\.(com|org|net)(\/|$)/i.test(u)) || /^example\b/i.test(dev.name)) {
    warnings.push(
      'developer.* in appPackage/manifest.json still holds the example placeholders (name and example.com URLs); users see them on the app’s details page. Replace them with your organisation’s name and privacy/terms URLs.',
    );
  }
  return warnings;
}

// ------------------------------------------------------------------ icons

/** Width and height from a PNG's IHDR chunk. */
export function readPngSize(buffer: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buffer.length < 24 || !buffer.subarray(0, 8).equals(signature) || buffer.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

function readIcon(dir: string, kind: keyof typeof ICON_SIZES, fileName: string): Buffer {
  if (basename(fileName) !== fileName) {
    throw new AppPackageError(`icons.${kind} must be a file name at the package root, not ${JSON.stringify(fileName)}. No package was written.`);
  }
  const path = join(dir, fileName);
  if (!existsSync(path)) throw new AppPackageError(`The ${kind} icon ${path} is missing. No package was written.`);
  const bytes = readFileSync(path);
  let size: { width: number; height: number };
  try {
    size = readPngSize(bytes);
  } catch {
    throw new AppPackageError(`The ${kind} icon ${path} is not a PNG file. No package was written.`);
  }
  const want = ICON_SIZES[kind];
  if (size.width !== want || size.height !== want) {
    throw new AppPackageError(`The ${kind} icon ${path} is ${size.width}×${size.height} pixels; Teams requires ${want}×${want}. No package was written.`);
  }
  return bytes;
}

// ------------------------------------------------------------------ the build

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function writeZip(outFile: string, entries: ReadonlyArray<readonly [string, Buffer]>): Promise<void> {
  mkdirSync(dirname(outFile), { recursive: true });
  const partial = `${outFile}.${process.pid}.partial`;
  try {
    const zip = new ZipFile();
    const written = pipeline(zip.outputStream as NodeJS.ReadableStream, createWriteStream(partial));
    for (const [name, data] of entries) zip.addBuffer(data, name, { mtime: ENTRY_DATE, mode: 0o100644, compressionLevel: 9 });
    zip.end();
    await written;
    renameSync(partial, outFile);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

export async function buildAppPackage(options: BuildAppPackageOptions): Promise<BuiltAppPackage> {
  const sourceDir = resolve(options.appPackageDir ?? APP_PACKAGE_DIR);
  const outFile = resolve(options.outFile);
  if (isInside(outFile, APP_PACKAGE_DIR) || isInside(outFile, sourceDir)) {
    throw new AppPackageError(`Refusing to write ${outFile}: the built package never goes into appPackage/ (use dist/). No package was written.`);
  }

  const appId = checkBotAppId(options.appId);
  const teamsAppId = options.teamsAppId !== undefined && options.teamsAppId.trim() !== '' ? checkTeamsAppId(options.teamsAppId) : undefined;
  const appVersion = options.appVersion !== undefined && options.appVersion.trim() !== '' ? checkAppVersion(options.appVersion) : undefined;
  const publicHostname = options.publicHostname !== undefined && options.publicHostname.trim() !== '' ? checkPublicHostname(options.publicHostname) : undefined;

  const manifest = fillManifest(readCommittedManifest(sourceDir), {
    appId,
    ...(teamsAppId ? { teamsAppId } : {}),
    ...(appVersion ? { appVersion } : {}),
    ...(publicHostname ? { publicHostname } : {}),
  });
  if (manifest.id.toLowerCase() === BOT_ID_PLACEHOLDER) {
    throw new AppPackageError('The Teams app id is the all-zeros GUID; set TEAMS_APP_ID or keep the committed id. No package was written.');
  }
  if (!APP_VERSION.test(manifest.version)) {
    throw new AppPackageError(`The manifest version ${JSON.stringify(manifest.version)} is not MAJOR.MINOR.PATCH. No package was written.`);
  }

  const errors = await validateManifestOffline(manifest);
  if (errors.length > 0) {
    throw new AppPackageError(
      `The filled manifest does not validate against the Teams v${PINNED_MANIFEST_VERSION} schema:\n  ${errors.join('\n  ')}\nNo package was written.`,
    );
  }

  if (manifest.icons.color === manifest.icons.outline || [manifest.icons.color, manifest.icons.outline].includes('manifest.json')) {
    throw new AppPackageError('icons.color and icons.outline must be two different files, neither named manifest.json. No package was written.');
  }
  const color = readIcon(sourceDir, 'color', manifest.icons.color);
  const outline = readIcon(sourceDir, 'outline', manifest.icons.outline);

  await writeZip(outFile, [
    ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8')],
    [manifest.icons.color, color],
    [manifest.icons.outline, outline],
  ]);
  return { outFile, manifest, warnings: placeholderWarnings(manifest) };
}

// ------------------------------------------------------------------ command line

const USAGE = `Usage: node --import tsx scripts/packageApp.ts [env] [--dotenv <path>] [--out <zip>]

Builds dist/appPackage.<env>.zip (env defaults to "production"; --out writes elsewhere) from appPackage/.
Reads MicrosoftAppId (required), TEAMS_APP_ID, PRIVACY_DESK_APP_VERSION and BOT_PUBLIC_HOSTNAME
from the environment, then from .env (or --dotenv); the environment wins.`;

export function parseArgs(argv: readonly string[]): { envName: string; envFile?: string; out?: string; help: boolean } {
  let envName: string | undefined;
  let envFile: string | undefined;
  let out: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--dotenv' || arg === '--out') {
      const value = argv[++i];
      if (!value || value.startsWith('-')) throw new AppPackageError(`${arg} needs a path.`);
      if (arg === '--out') out = value;
      else envFile = value;
    } else if (arg.startsWith('--dotenv=')) envFile = arg.slice('--dotenv='.length);
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('-')) throw new AppPackageError(`Unknown option ${arg}.\n${USAGE}`);
    else if (envName === undefined) envName = arg;
    else throw new AppPackageError(`Only one environment name is allowed (got ${envName} and ${arg}).`);
  }
  envName ??= 'production';
  if (!ENV_NAME.test(envName)) {
    throw new AppPackageError(`The environment name ${JSON.stringify(envName)} may hold letters, digits, - and _ only (it becomes part of the file name).`);
  }
  return { envName, ...(envFile ? { envFile } : {}), ...(out ? { out } : {}), help };
}

export async function main(argv: readonly string[] = process.argv.slice(2), cwd = process.cwd()): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    const appIdBeforeFile = process.env.MicrosoftAppId;
    let envSource = 'the environment';
    if (args.envFile) {
      const path = resolve(cwd, args.envFile);
      if (!existsSync(path)) throw new AppPackageError(`The env file ${path} does not exist.`);
      process.loadEnvFile(path);
      envSource = relative(cwd, path) || path;
    } else if (existsSync(join(cwd, '.env'))) {
      process.loadEnvFile(join(cwd, '.env'));
      envSource = '.env';
    }
    const appIdSource = appIdBeforeFile ? 'the environment' : envSource;

    const built = await buildAppPackage({
      appId: process.env.MicrosoftAppId ?? '',
      ...(process.env.PRIVACY_DESK_APP_VERSION ? { appVersion: process.env.PRIVACY_DESK_APP_VERSION } : {}),
      ...(process.env.TEAMS_APP_ID ? { teamsAppId: process.env.TEAMS_APP_ID } : {}),
      ...(process.env.BOT_PUBLIC_HOSTNAME ? { publicHostname: process.env.BOT_PUBLIC_HOSTNAME } : {}),
      outFile: args.out ? resolve(cwd, args.out) : projectPath('dist', `appPackage.${args.envName}.zip`),
    });
    const m = built.manifest;
    console.log(
      [
        `Teams app package for "${args.envName}": ${relative(cwd, built.outFile) || built.outFile}`,
        `  bot id (MicrosoftAppId, from ${appIdSource}): ${m.bots![0]!.botId}`,
        `  webApplicationInfo: ${m.webApplicationInfo!.id}, ${m.webApplicationInfo!.resource}`,
        `  Teams app id: ${m.id}`,
        `  version: ${m.version}`,
        `  validDomains: ${(m.validDomains ?? []).join(', ') || '(none)'}`,
        m.staticTabs
          ? `  tab "My data requests": ${String(m.staticTabs.find((tab) => tab.entityId === MY_DATA_REQUESTS_TAB_ID)?.contentUrl)} (its sign-in needs the Entra app's Application ID URI ${m.webApplicationInfo!.resource!}: docs/production.md (a))`
          : '  no tab: set BOT_PUBLIC_HOSTNAME to add "My data requests"',
        'Validated offline against the Teams v1.22 schema. Upload it in the Teams admin center (docs/production.md).',
      ].join('\n'),
    );
    for (const warning of [...built.warnings, ...graphIdentityWarnings(process.env, m.webApplicationInfo!.id)]) console.warn(`warning: ${warning}`);
    return 0;
  } catch (error) {
    if (error instanceof AppPackageError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

/**
 * Microsoft Graph's TeamsAppInstallation.ReadWriteSelfForUser.All acts only for the app whose id is in
 * webApplicationInfo. If Graph is configured with another identity, installs for data subjects fail
 * (Graph returns nothing or 403), so say so at build time.
 */
export function graphIdentityWarnings(env: NodeJS.ProcessEnv, webApplicationId: string): string[] {
  const graphIds = (['GRAPH_CLIENT_ID', 'GRAPH_MANAGED_IDENTITY_CLIENT_ID'] as const)
    .map((key) => [key, env[key]?.trim()] as const)
    .filter((entry): entry is readonly [(typeof entry)[0], string] => Boolean(entry[1]));
  return graphIds
    .filter(([, id]) => id.toLowerCase() !== webApplicationId.toLowerCase())
    .map(
      ([key, id]) =>
        `${key} (${id}) is not MicrosoftAppId (${webApplicationId}). Installing Privacy Desk for data subjects through Graph (TeamsAppInstallation.ReadWriteSelfForUser.All) works only for the app id in webApplicationInfo, which is MicrosoftAppId: let Graph use the bot's app registration (docs/production.md, a).`,
    );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
