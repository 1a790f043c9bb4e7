/** An admin a policy can list; a directory listing brings the name along, a configured list does not. */
export interface KnownAdmin {
  readonly objectId: string;
  readonly displayName?: string;
}

/** Who is a privacy admin: a configured list of object ids, or an Entra group (adapters/graph). */
export interface AdminPolicy {
  isAdmin(objectId: string): Promise<boolean>;
  /** The admins this policy can list. */
  knownAdmins?(): Promise<KnownAdmin[]>;
}

export class ConfiguredAdmins implements AdminPolicy {
  private readonly ids: ReadonlySet<string>;
  constructor(objectIds: Iterable<string>) {
    this.ids = new Set([...objectIds].map((id) => id.toLowerCase()));
  }
  async isAdmin(objectId: string): Promise<boolean> {
    return this.ids.has(objectId.toLowerCase());
  }

  async knownAdmins(): Promise<KnownAdmin[]> {
    return [...this.ids].map((objectId) => ({ objectId }));
  }
}
