/**
 * Builds the Microsoft 365 Agents Playground config file (`.m365agentsplayground.yml`, schema 0.1.1)
 * for ONE signed-in demo user, from local/demo/directory.json.
 *
 * The Playground has no user switcher: `currentUser` is fixed for the life of the process (see
 * docs/local-mode.md). Acting as several people therefore means one Playground process per person,
 * each with its own generated config in which that person is `currentUser` and the other five demo
 * users are `users`. Everything shared (tenant, team, channels, group chat, user ids) is generated
 * deterministically, so all instances describe the same tenant with the same ids.
 *
 * The Playground's own rules (its bundled JSON schema plus its "business logic" checks) are
 * re-implemented in `validatePlaygroundConfig`, so a bad config fails here, before a process is
 * spawned, with a readable message — the Playground itself prints `Listening on N`, then exits 1 and
 * writes the reason only to its log file.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DirectoryUser } from '../../domain/directory/directory';
import { projectPath } from '../../app/projectRoot';

/** The six demo users that can sign in to a Playground (guest/disabled demo users cannot). */
export const DEMO_USER_KEYS = ['alexw', 'meganb', 'adelev', 'isaiahl', 'pattif', 'lynner'] as const;
export type DemoUserKey = (typeof DEMO_USER_KEYS)[number];

export const DEFAULT_DIRECTORY_PATH = projectPath('local/demo/directory.json');

export interface DemoDirectory {
  readonly tenantId: string;
  readonly users: readonly DirectoryUser[];
  readonly groups: readonly { readonly objectId: string; readonly displayName: string; readonly objectType: string }[];
  readonly admins: readonly string[];
}

/** One user entry as the Playground schema wants it (note its spelling `userPrincipleName`). */
export interface PlaygroundUser {
  readonly id: string;
  readonly name: string;
  readonly userPrincipleName: string;
  readonly aadObjectId: string;
  readonly givenName: string;
  readonly surname: string;
  readonly email: string;
}

export interface PlaygroundConfig {
  readonly version: '0.1.1';
  readonly tenantId: string;
  readonly bot: { readonly id: string; readonly name: string };
  readonly currentUser: PlaygroundUser;
  readonly users: readonly PlaygroundUser[];
  readonly personalChat: { readonly id: string };
  readonly groupChat: { readonly id: string; readonly name: string };
  readonly team: {
    readonly id: string;
    readonly name: string;
    readonly aadGroupId: string;
    readonly channels: readonly { readonly id: string; readonly name: string }[];
  };
}

export interface BuildPlaygroundConfigOptions {
  /** Who is signed in to this Playground: a demo key (`meganb`), an objectId or a userPrincipalName. */
  // `string & {}` keeps the demo keys offered by the editor next to any other id.
  readonly currentUser: DemoUserKey | (string & {});
  /** Defaults to local/demo/directory.json. */
  readonly directory?: DemoDirectory;
  /** The one channel besides General; `null` for none. Default "Privacy Requests". */
  readonly extraChannel?: string | null;
  /** Default "Privacy Team" (its aadGroupId comes from the directory group of that name). */
  readonly teamName?: string;
  /** Default "Privacy Desk" (at most 42 characters). */
  readonly botName?: string;
  /** Default `28:privacy-desk-local`. */
  readonly botId?: string;
}

export class PlaygroundConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Agents Playground config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PlaygroundConfigError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function loadDemoDirectory(path: string = DEFAULT_DIRECTORY_PATH): DemoDirectory {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as DemoDirectory;
  if (!parsed || typeof parsed.tenantId !== 'string' || !Array.isArray(parsed.users)) {
    throw new Error(`${path} is not a demo directory (tenantId and users are required)`);
  }
  return parsed;
}

/** The demo key of a user: the local part of the userPrincipalName (`meganb@example.com` → `meganb`). */
export function demoUserKey(user: Pick<DirectoryUser, 'userPrincipalName'>): string {
  return user.userPrincipalName.split('@')[0]!.toLowerCase();
}

export function isDemoUserKey(value: string): value is DemoUserKey {
  return (DEMO_USER_KEYS as readonly string[]).includes(value);
}

/** The six Playground users from the directory, in DEMO_USER_KEYS order; checks they are usable. */
export function playgroundUsers(directory: DemoDirectory = loadDemoDirectory()): DirectoryUser[] {
  return DEMO_USER_KEYS.map((key) => {
    const user = directory.users.find((u) => demoUserKey(u) === key);
    if (!user) throw new Error(`Demo user "${key}" is missing from the demo directory`);
    if (!user.accountEnabled || user.userType !== 'Member') {
      throw new Error(`Demo user "${key}" must be an enabled Member to sign in to a Playground`);
    }
    return user;
  });
}

/**
 * Finds a Playground user by demo key, objectId or userPrincipalName (case-insensitive).
 * Refuses directory users that are not Playground users (guest, disabled) with the list of choices.
 */
export function resolveDemoUser(query: string, directory: DemoDirectory = loadDemoDirectory()): DirectoryUser {
  const q = query.trim().toLowerCase();
  const candidates = playgroundUsers(directory);
  const found = candidates.find((u) => demoUserKey(u) === q || u.objectId.toLowerCase() === q || u.userPrincipalName.toLowerCase() === q);
  if (found) return found;
  const choices = candidates.map((u) => `${demoUserKey(u)} (${u.displayName})`).join(', ');
  const other = directory.users.find((u) => u.objectId.toLowerCase() === q || u.userPrincipalName.toLowerCase() === q);
  const why = other
    ? `${other.displayName} is in the demo directory but cannot sign in to a Playground (guest or disabled account)`
    : `no demo user "${query}"`;
  throw new Error(`${why}. Choose one of: ${choices}`);
}

/** The Teams user id (MRI) every instance uses for a person: `29:` + objectId. */
export function teamsUserId(objectId: string): string {
  return `29:${objectId.toLowerCase()}`;
}

/** The personal (1:1 bot) chat id of a person; unique per user, stable across restarts. */
export function personalConversationId(objectId: string): string {
  return `a:privacy-desk-personal-${objectId.toLowerCase()}`;
}

/** Shared ids: the same in every instance. The General channel's conversation id is the team id. */
export const TEAM_ID = '19:privacy-team-general@thread.tacv2';
export const EXTRA_CHANNEL_ID = '19:privacy-team-requests@thread.tacv2';
export const GROUP_CHAT_ID = '19:privacy-desk-group-chat@thread.v2';

function splitName(displayName: string): { givenName: string; surname: string } {
  const parts = displayName
    .replace(/\(.*?\)/g, '')
    .trim()
    .split(/\s+/);
  const givenName = parts[0] ?? displayName;
  const surname = parts.length > 1 ? parts.slice(1).join(' ') : givenName;
  return { givenName, surname };
}

function toPlaygroundUser(user: DirectoryUser): PlaygroundUser {
  return {
    id: teamsUserId(user.objectId),
    name: user.displayName,
    userPrincipleName: user.userPrincipalName,
    aadObjectId: user.objectId,
    ...splitName(user.displayName),
    email: user.mail ?? user.userPrincipalName,
  };
}

export function buildPlaygroundConfig(options: BuildPlaygroundConfigOptions): PlaygroundConfig {
  const directory = options.directory ?? loadDemoDirectory();
  const me = resolveDemoUser(options.currentUser, directory);
  const others = playgroundUsers(directory).filter((u) => u.objectId !== me.objectId);
  const teamName = options.teamName ?? 'Privacy Team';
  const group = directory.groups.find((g) => g.displayName === teamName);
  if (!group) throw new Error(`The demo directory has no group named "${teamName}" to back the team`);
  const extraChannel = options.extraChannel === undefined ? 'Privacy Requests' : options.extraChannel;

  const config: PlaygroundConfig = {
    version: '0.1.1',
    tenantId: directory.tenantId,
    bot: { id: options.botId ?? '28:privacy-desk-local', name: options.botName ?? 'Privacy Desk' },
    currentUser: toPlaygroundUser(me),
    users: others.map(toPlaygroundUser),
    personalChat: { id: personalConversationId(me.objectId) },
    groupChat: { id: GROUP_CHAT_ID, name: 'Privacy Desk demo chat' },
    team: {
      id: TEAM_ID,
      name: teamName,
      aadGroupId: group.objectId,
      channels: extraChannel === null ? [] : [{ id: EXTRA_CHANNEL_ID, name: extraChannel }],
    },
  };
  const problems = validatePlaygroundConfig(config);
  if (problems.length > 0) throw new PlaygroundConfigError(problems);
  return config;
}

/**
 * The Playground 0.2.28 rules (bundled schema `teams-app-test-tool-config/0.1.1` + its
 * `validateBusinessLogic`), plus this project's own: GUID tenant/object ids, unique aadObjectIds,
 * no second "General" channel. Returns the problems found (empty = valid).
 */
export function validatePlaygroundConfig(config: PlaygroundConfig): string[] {
  const problems: string[] = [];
  const need = (value: unknown, path: string): void => {
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${path} is required (non-empty string)`);
  };
  const maxLen = (value: string | undefined, max: number, path: string): void => {
    if (typeof value === 'string' && value.length > max) problems.push(`${path} is longer than ${max} characters`);
  };
  if (config.version !== '0.1.1') problems.push(`version must be "0.1.1"`);
  need(config.tenantId, 'tenantId');
  if (config.tenantId && !isGuid(config.tenantId)) problems.push(`tenantId "${config.tenantId}" is not a GUID`);
  need(config.bot?.id, 'bot.id');
  need(config.bot?.name, 'bot.name');
  maxLen(config.bot?.name, 42, 'bot.name');

  const checkUser = (u: PlaygroundUser | undefined, path: string): void => {
    if (!u) {
      problems.push(`${path} is required`);
      return;
    }
    for (const field of ['id', 'name', 'userPrincipleName', 'aadObjectId', 'givenName', 'surname', 'email'] as const) {
      need(u[field], `${path}.${field}`);
    }
    maxLen(u.name, 256, `${path}.name`);
    maxLen(u.givenName, 256, `${path}.givenName`);
    maxLen(u.surname, 256, `${path}.surname`);
    if (u.aadObjectId && !isGuid(u.aadObjectId)) problems.push(`${path}.aadObjectId "${u.aadObjectId}" is not a GUID`);
  };
  checkUser(config.currentUser, 'currentUser');
  if (!Array.isArray(config.users) || config.users.length !== 5) {
    problems.push(`users must list exactly 5 users besides currentUser (found ${config.users?.length ?? 0})`);
  }
  (config.users ?? []).forEach((u, i) => checkUser(u, `users[${i}]`));

  const everyone = [config.currentUser, ...(config.users ?? [])].filter(Boolean) as PlaygroundUser[];
  const dupes = (values: string[]): string[] => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
  for (const d of dupes(everyone.map((u) => u.id))) problems.push(`user id "${d}" is used twice (User ID must be unique)`);
  for (const d of dupes(everyone.map((u) => u.aadObjectId.toLowerCase()))) problems.push(`aadObjectId "${d}" is used twice`);

  need(config.personalChat?.id, 'personalChat.id');
  need(config.groupChat?.id, 'groupChat.id');
  need(config.groupChat?.name, 'groupChat.name');
  maxLen(config.groupChat?.name, 256, 'groupChat.name');
  need(config.team?.id, 'team.id');
  need(config.team?.name, 'team.name');
  maxLen(config.team?.name, 256, 'team.name');
  need(config.team?.aadGroupId, 'team.aadGroupId');
  const channels = config.team?.channels ?? [];
  if (channels.length > 1) problems.push(`team.channels: at most one channel besides General (found ${channels.length})`);
  channels.forEach((c, i) => {
    need(c.id, `team.channels[${i}].id`);
    need(c.name, `team.channels[${i}].name`);
    maxLen(c.name, 256, `team.channels[${i}].name`);
    if (c.name?.trim().toLowerCase() === 'general') {
      problems.push(`team.channels[${i}]: General always exists (its id is team.id); do not list it`);
    }
  });
  const chatIds = [config.personalChat?.id, config.groupChat?.id, config.team?.id, ...channels.map((c) => c.id)].filter(
    (v): v is string => typeof v === 'string',
  );
  for (const d of dupes(chatIds)) {
    problems.push(`conversation id "${d}" is used twice (personal chat, group chat, team and channel ids must be unique)`);
  }
  return problems;
}

/** A YAML scalar: JSON's double-quoted string is valid YAML 1.2, so any character is safe. */
function q(value: string): string {
  return JSON.stringify(value);
}

function userYaml(u: PlaygroundUser, indent: string, first: string): string[] {
  return [
    `${first}id: ${q(u.id)}`,
    `${indent}name: ${q(u.name)}`,
    `${indent}userPrincipleName: ${q(u.userPrincipleName)}`,
    `${indent}aadObjectId: ${q(u.aadObjectId)}`,
    `${indent}givenName: ${q(u.givenName)}`,
    `${indent}surname: ${q(u.surname)}`,
    `${indent}email: ${q(u.email)}`,
  ];
}

export function renderPlaygroundYaml(config: PlaygroundConfig): string {
  const lines = [
    '# Generated by local/playground/playgroundConfig.ts from local/demo/directory.json — do not edit.',
    `# Microsoft 365 Agents Playground config; signed-in user: ${config.currentUser.name}.`,
    `version: ${q(config.version)}`,
    `tenantId: ${q(config.tenantId)}`,
    'bot:',
    `  id: ${q(config.bot.id)}`,
    `  name: ${q(config.bot.name)}`,
    'currentUser:',
    ...userYaml(config.currentUser, '  ', '  '),
    'users:',
    ...config.users.flatMap((u) => userYaml(u, '    ', '  - ')),
    'personalChat:',
    `  id: ${q(config.personalChat.id)}`,
    'groupChat:',
    `  id: ${q(config.groupChat.id)}`,
    `  name: ${q(config.groupChat.name)}`,
    'team:',
    `  id: ${q(config.team.id)}`,
    `  name: ${q(config.team.name)}`,
    `  aadGroupId: ${q(config.team.aadGroupId)}`,
    config.team.channels.length === 0 ? '  channels: []' : '  channels:',
    ...config.team.channels.flatMap((c) => [`    - id: ${q(c.id)}`, `      name: ${q(c.name)}`]),
  ];
  return `${lines.join('\n')}\n`;
}

/** Validates, then writes the YAML file (creating its directory). Returns the absolute path. */
export async function writePlaygroundConfig(path: string, config: PlaygroundConfig): Promise<string> {
  const problems = validatePlaygroundConfig(config);
  if (problems.length > 0) throw new PlaygroundConfigError(problems);
  const absolute = resolve(path);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, renderPlaygroundYaml(config), 'utf8');
  return absolute;
}
