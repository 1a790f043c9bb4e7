/** Who is a privacy admin. Local mode: a configured list; production will add an Entra group. */
export interface AdminPolicy {
  isAdmin(objectId: string): Promise<boolean>;
  /** The admins this policy can name (a configured list can; a group would need a directory query). */
  knownAdmins?(): Promise<string[]>;
}

export class ConfiguredAdmins implements AdminPolicy {
  private readonly ids: ReadonlySet<string>;
  constructor(objectIds: Iterable<string>) {
    this.ids = new Set([...objectIds].map((id) => id.toLowerCase()));
  }
  async isAdmin(objectId: string): Promise<boolean> {
    return this.ids.has(objectId.toLowerCase());
  }

  async knownAdmins(): Promise<string[]> {
    return [...this.ids];
  }
}
