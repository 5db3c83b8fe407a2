/*
 * The raw answers the crawler reads, as far as it reads them. GraphQL shapes are those of src/github/queries.ts;
 * REST shapes follow @octokit/openapi 23.0.2 (see /work/shared/github-api.md §2).
 */

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export interface RateLimitInfo {
  readonly cost: number;
  readonly remaining: number;
  readonly resetAt: string;
}

export interface PublicKeyNode {
  readonly id: string;
  readonly key: string;
  readonly fingerprint?: string | null;
  readonly createdAt?: string | null;
  readonly accessedAt?: string | null;
  readonly isReadOnly?: boolean | null;
}

export interface PublicKeyConnection {
  readonly totalCount: number;
  readonly pageInfo: PageInfo;
  readonly nodes: readonly (PublicKeyNode | null)[];
}

export interface UserNode {
  readonly id: string;
  readonly databaseId: number | null;
  readonly login: string;
  readonly name: string | null;
  readonly publicKeys?: PublicKeyConnection;
}

export interface MemberEdge {
  readonly role: "ADMIN" | "MEMBER" | null;
  readonly node: UserNode | null;
}

export interface OrgMembersAnswer {
  readonly rateLimit?: RateLimitInfo | null;
  readonly organization: {
    readonly login: string;
    readonly membersWithRole: {
      readonly totalCount: number;
      readonly pageInfo: PageInfo;
      readonly edges: readonly (MemberEdge | null)[];
    };
  } | null;
}

export interface UserKeysAnswer {
  readonly rateLimit?: RateLimitInfo | null;
  readonly user: { readonly login: string; readonly publicKeys: PublicKeyConnection } | null;
}

export interface DeployKeyNode {
  readonly id: string;
  readonly key: string;
  readonly title: string;
  readonly readOnly: boolean;
  readonly verified: boolean;
  /** Absent where the server's schema predates the field (see `withoutDeployKeyEnabled`). */
  readonly enabled?: boolean;
  readonly createdAt: string;
}

export interface DeployKeyConnection {
  readonly totalCount: number;
  readonly pageInfo: PageInfo;
  readonly nodes: readonly (DeployKeyNode | null)[];
}

export interface RepositoryNode {
  readonly id: string;
  readonly databaseId: number | null;
  readonly name: string;
  readonly nameWithOwner: string;
  readonly visibility: "PUBLIC" | "PRIVATE" | "INTERNAL" | null;
  readonly isArchived: boolean;
  readonly isFork: boolean;
  readonly deployKeys?: DeployKeyConnection;
}

export interface OrgRepositoriesAnswer {
  readonly rateLimit?: RateLimitInfo | null;
  readonly organization: {
    readonly login: string;
    readonly repositories: {
      readonly totalCount: number;
      readonly pageInfo: PageInfo;
      readonly nodes: readonly (RepositoryNode | null)[];
    };
  } | null;
}

export interface RepositoryDeployKeysAnswer {
  readonly rateLimit?: RateLimitInfo | null;
  readonly repository: { readonly nameWithOwner: string; readonly deployKeys: DeployKeyConnection } | null;
}

/** REST Deploy Key (`GET /repos/{owner}/{repo}/keys`). */
export interface RestDeployKey {
  readonly id: number;
  readonly key: string;
  readonly title: string;
  readonly verified?: boolean;
  readonly created_at?: string;
  readonly read_only?: boolean;
  readonly added_by?: string | null;
  readonly last_used?: string | null;
  readonly enabled?: boolean;
}

/** REST SSH Signing Key (`GET /users/{username}/ssh_signing_keys`). */
export interface RestSigningKey {
  readonly id: number;
  readonly key: string;
  readonly title: string;
  readonly created_at?: string;
}

/** REST Simple User (outside collaborators). */
export interface RestSimpleUser {
  readonly login: string;
  readonly id: number;
  readonly node_id?: string;
  readonly type?: string;
}

/** GHEC `GET /orgs/{org}/credential-authorizations` item. */
export interface RestCredentialAuthorization {
  readonly login: string;
  readonly credential_id: number;
  readonly credential_type: string;
  readonly credential_authorized_at?: string;
  readonly credential_accessed_at?: string | null;
  readonly authorized_credential_id?: number | null;
  readonly fingerprint?: string;
  readonly authorized_credential_title?: string | null;
}

/** GHES `GET /admin/keys` item. */
export interface RestAdminKey {
  readonly id: number;
  readonly key: string;
  readonly user_id: number | null;
  readonly repository_id: number | null;
  readonly title?: string;
  readonly read_only?: boolean;
  readonly verified?: boolean;
  readonly created_at?: string;
  readonly added_by?: string | null;
  readonly last_used?: string | null;
  readonly enabled?: boolean;
}
