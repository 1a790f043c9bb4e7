/** A person as the directory (Entra ID, or the demo file in local mode) knows them. */
export interface DirectoryUser {
  readonly objectId: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly mail?: string;
  readonly department?: string;
  readonly jobTitle?: string;
  readonly preferredLanguage?: string;
  /** Where the person uses the tenant's services: an ISO 3166-1 alpha-2 code (Entra ID's usageLocation). */
  readonly usageLocation?: string;
  /** The office address's country and state or region, as typed in the directory (free text). */
  readonly country?: string;
  readonly state?: string;
  readonly accountEnabled: boolean;
  readonly userType: 'Member' | 'Guest';
}

/** What a look-up found. Anything but `user` is a reason to refuse. */
export type DirectoryLookup =
  | { readonly kind: 'user'; readonly user: DirectoryUser }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'not_a_user'; readonly objectType: string }
  | { readonly kind: 'ambiguous'; readonly count: number };

export interface Directory {
  /** Finds a person by objectId, userPrincipalName or mail. */
  lookup(query: string): Promise<DirectoryLookup>;
  /** The full profile the export includes (same fields today; Graph adds manager, groups, licences). */
  profile(objectId: string): Promise<Record<string, unknown> | undefined>;
}

/** Who asked, as the subject's confirmation card names them: the requester's name, or their privacy team. */
export async function requesterNameOf(directory: Pick<Directory, 'lookup'>, request: { readonly requesterId: string }): Promise<string> {
  const requester = await directory.lookup(request.requesterId);
  return requester.kind === 'user' ? requester.user.displayName : 'Your privacy team';
}
