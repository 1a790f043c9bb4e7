import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Directory, DirectoryLookup, DirectoryUser } from '../../domain/directory/directory';

const userSchema = z.object({
  objectId: z.uuid(),
  displayName: z.string().min(1),
  userPrincipalName: z.string().min(3),
  mail: z.string().optional(),
  department: z.string().optional(),
  jobTitle: z.string().optional(),
  preferredLanguage: z.string().optional(),
  /** ISO 3166-1 alpha-2, as Entra ID keeps it; with country and state it picks the default law of "export my data". */
  usageLocation: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  country: z.string().optional(),
  state: z.string().optional(),
  accountEnabled: z.boolean(),
  userType: z.enum(['Member', 'Guest']),
});

export const demoDirectorySchema = z.object({
  tenantId: z.uuid(),
  users: z.array(userSchema).min(1),
  groups: z.array(z.object({ objectId: z.uuid(), displayName: z.string(), objectType: z.string() })).default([]),
  admins: z.array(z.uuid()).default([]),
});
export type DemoDirectoryFile = z.infer<typeof demoDirectorySchema>;

export async function readDemoDirectoryFile(path: string): Promise<DemoDirectoryFile> {
  const parsed = demoDirectorySchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`The demo directory file ${path} is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The local-mode directory: demo users from a JSON file, looked up like Entra ID would. */
export class JsonFileDirectory implements Directory {
  constructor(private readonly file: DemoDirectoryFile) {}

  async lookup(query: string): Promise<DirectoryLookup> {
    const q = query.trim().toLowerCase();
    const byId = this.file.users.find((u) => u.objectId.toLowerCase() === q);
    if (byId) return { kind: 'user', user: toUser(byId) };
    const group = this.file.groups.find((g) => g.objectId.toLowerCase() === q);
    if (group) return { kind: 'not_a_user', objectType: group.objectType };
    const byUpn = this.file.users.find((u) => u.userPrincipalName.toLowerCase() === q);
    if (byUpn) return { kind: 'user', user: toUser(byUpn) };
    const byMail = this.file.users.filter((u) => u.mail?.toLowerCase() === q);
    if (byMail.length > 1) return { kind: 'ambiguous', count: byMail.length };
    if (byMail.length === 1) return { kind: 'user', user: toUser(byMail[0]!) };
    return { kind: 'not_found' };
  }

  async profile(objectId: string): Promise<Record<string, unknown> | undefined> {
    const user = this.file.users.find((u) => u.objectId.toLowerCase() === objectId.toLowerCase());
    return user ? { ...user } : undefined;
  }
}

function toUser(u: z.infer<typeof userSchema>): DirectoryUser {
  return Object.freeze({ ...u });
}
