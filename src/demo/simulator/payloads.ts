import { keyWithoutComment } from "./ssh-key-text.js";
import type { SimCredentialAuthorization, SimKey, SimOrg, SimRepo, SimUser } from "./types.js";

/*
 * REST answer bodies shaped after GitHub's OpenAPI response schemas (@octokit/openapi 23.0.2; the
 * fixture test/fixtures/openapi/responses.json holds the schemas and rest-schema.test.ts checks every field).
 * Values the state does not model (counts, descriptions, dates of users and repos) are fixed, plausible constants.
 */

/** Where the answers point: the API base (links like `url`, `keys_url`) and the web base (`html_url`). */
export interface Bases {
  readonly api: string;
  readonly html: string;
  /** Host (and port) of `html`, for `git@host:` and `git://host/` URLs. */
  readonly host: string;
}

/** GitHub's legacy global node id: base64 of `<length of type name, 2+ digits>:<Type><databaseId>`. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`${String(type.length).padStart(2, "0")}:${type}${id}`).toString("base64");
}

/** A stable date for objects the state gives no date: seconds after 2015-01-01, GitHub's `…Z` form. */
export function syntheticDate(id: number): string {
  return isoSeconds(Date.UTC(2015, 0, 1) + (id % 300_000_000) * 1000);
}

/** `2024-05-01T12:00:00Z`: GitHub's timestamp form (no milliseconds). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function simpleUser(bases: Bases, user: SimUser): Record<string, unknown> {
  const url = `${bases.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "Bot" : "User", user.id),
    avatar_url: `${bases.html}/avatars/u/${user.id}?v=4`,
    gravatar_id: "",
    url,
    html_url: `${bases.html}/${user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type ?? "User",
    user_view_type: "public",
    site_admin: user.siteAdmin ?? false,
  };
}

/** Public User (`GET /users/{username}`, and `GET /user` for the token's own account). */
export function fullUser(bases: Bases, user: SimUser): Record<string, unknown> {
  const date = syntheticDate(user.id);
  return {
    ...simpleUser(bases, user),
    name: user.name ?? null,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: date,
    updated_at: date,
  };
}

export function simpleOrg(bases: Bases, org: SimOrg): Record<string, unknown> {
  const url = `${bases.api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId("Organization", org.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${bases.html}/avatars/u/${org.id}?v=4`,
    description: null,
  };
}

export function fullOrg(bases: Bases, org: SimOrg): Record<string, unknown> {
  const date = syntheticDate(org.id);
  const publicRepos = org.repos.reduce((n, r) => n + ((r.visibility ?? "public") === "public" ? 1 : 0), 0);
  return {
    ...simpleOrg(bases, org),
    name: org.login,
    html_url: `${bases.html}/${org.login}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: "Organization",
    total_private_repos: org.repos.length - publicRepos,
    owned_private_repos: org.repos.length - publicRepos,
    two_factor_requirement_enabled: false,
    created_at: date,
    updated_at: date,
    archived_at: null,
  };
}

export function orgAsOwner(bases: Bases, org: SimOrg): Record<string, unknown> {
  return {
    ...simpleUser(bases, { login: org.login, id: org.id, keys: [], signingKeys: [] }),
    node_id: nodeId("Organization", org.id),
    type: "Organization",
  };
}

/** Minimal Repository (`GET /orgs/{org}/repos`). */
export function minimalRepo(bases: Bases, org: SimOrg, repo: SimRepo): Record<string, unknown> {
  const fullName = `${org.login}/${repo.name}`;
  const url = `${bases.api}/repos/${fullName}`;
  const visibility = repo.visibility ?? "public";
  const date = syntheticDate(repo.id);
  const host = bases.host;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: fullName,
    private: visibility !== "public",
    owner: orgAsOwner(bases, org),
    html_url: `${bases.html}/${fullName}`,
    description: null,
    fork: repo.fork ?? false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://${host}/${fullName}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@${host}:${fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${bases.html}/${fullName}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `${bases.html}/${fullName}`,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    default_branch: "main",
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: repo.archived ?? false,
    disabled: false,
    visibility,
    pushed_at: date,
    created_at: date,
    updated_at: date,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    forks: 0,
    open_issues: 0,
    watchers: 0,
  };
}

/** Full Repository (`GET /repos/{owner}/{repo}`). */
export function fullRepo(bases: Bases, org: SimOrg, repo: SimRepo): Record<string, unknown> {
  return {
    ...minimalRepo(bases, org, repo),
    organization: orgAsOwner(bases, org),
    network_count: 0,
    subscribers_count: 0,
  };
}

/** Key Simple (`GET /users/{username}/keys`): GitHub gives no title, fingerprint or verified flag here. */
export function keySimple(key: SimKey): Record<string, unknown> {
  return { id: key.id, key: keyWithoutComment(key.key), created_at: key.createdAt, last_used: key.lastUsed ?? null };
}

export function sshSigningKey(key: SimKey): Record<string, unknown> {
  return { key: keyWithoutComment(key.key), id: key.id, title: key.title, created_at: key.createdAt };
}

export function deployKey(bases: Bases, org: SimOrg, repo: SimRepo, key: SimKey): Record<string, unknown> {
  return {
    id: key.id,
    key: keyWithoutComment(key.key),
    url: `${bases.api}/repos/${org.login}/${repo.name}/keys/${key.id}`,
    title: key.title,
    verified: key.verified ?? true,
    created_at: key.createdAt,
    read_only: key.readOnly ?? true,
    added_by: key.addedBy ?? null,
    last_used: key.lastUsed ?? null,
    enabled: key.enabled ?? true,
  };
}

export function membership(bases: Bases, org: SimOrg, user: SimUser, role: "admin" | "member"): Record<string, unknown> {
  return {
    url: `${bases.api}/orgs/${org.login}/memberships/${user.login}`,
    state: "active",
    role,
    direct_membership: true,
    organization_url: `${bases.api}/orgs/${org.login}`,
    organization: simpleOrg(bases, org),
    user: simpleUser(bases, user),
    permissions: { can_create_repository: role === "admin" },
  };
}

export function credentialAuthorization(entry: SimCredentialAuthorization): Record<string, unknown> {
  const body: Record<string, unknown> = {
    login: entry.login,
    credential_id: entry.credentialId,
    credential_type: entry.credentialType,
    credential_authorized_at: entry.authorizedAt,
    credential_accessed_at: entry.accessedAt ?? null,
    authorized_credential_id: entry.authorizedCredentialId ?? null,
  };
  if (entry.credentialType === "SSH key") {
    if (entry.fingerprint !== undefined) body.fingerprint = entry.fingerprint;
    body.authorized_credential_title = entry.title ?? null;
  } else {
    body.scopes = ["read:org"];
    body.token_last_eight = String(entry.credentialId).padStart(8, "0").slice(-8);
    body.authorized_credential_note = entry.title ?? null;
    body.authorized_credential_expires_at = null;
  }
  return body;
}

/** One row of GHES `GET /admin/keys`: user keys carry `user_id`, deploy keys `repository_id`. */
export function adminKey(
  bases: Bases,
  key: SimKey,
  owner: { user: SimUser } | { org: SimOrg; repo: SimRepo },
): Record<string, unknown> {
  const isUser = "user" in owner;
  return {
    id: key.id,
    key: keyWithoutComment(key.key),
    user_id: isUser ? owner.user.id : null,
    repository_id: isUser ? null : owner.repo.id,
    url: isUser ? `${bases.api}/user/keys/${key.id}` : `${bases.api}/repos/${owner.org.login}/${owner.repo.name}/keys/${key.id}`,
    title: key.title,
    read_only: key.readOnly ?? !isUser,
    verified: key.verified ?? true,
    created_at: key.createdAt,
    added_by: isUser ? null : (key.addedBy ?? null),
    last_used: key.lastUsed ?? null,
    enabled: key.enabled ?? true,
  };
}
