import { Octokit } from "@octokit/rest";

/*
 * The baseline keyward is measured against: what a plain script with @octokit/rest does. List the members and
 * the repositories (per_page 100), then ask for each member's keys (GET /users/{u}/keys) and each repository's
 * deploy keys (GET /repos/{o}/{r}/keys), paginating those too. No GraphQL, no conditional requests, no store.
 * It keeps everything in memory and writes nothing, so if anything it is faster than a real one would be.
 */

export interface NaiveCrawlOptions {
  readonly org: string;
  readonly apiUrl: string;
  readonly token: string;
  /** Requests in flight at once for the per-member and per-repository lists (keyward's default is 4). */
  readonly concurrency: number;
}

export interface NaiveCrawlResult {
  readonly members: number;
  readonly repos: number;
  readonly userKeys: number;
  readonly deployKeys: number;
  /** Requests this client sent (the simulator's count is the one the benchmark reports). */
  readonly requests: number;
}

async function forEachLimited<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Crawls one org the naive way and counts what it found. */
export async function naiveCrawl(options: NaiveCrawlOptions): Promise<NaiveCrawlResult> {
  const octokit = new Octokit({ auth: options.token, baseUrl: options.apiUrl, userAgent: "keyward-bench-naive" });
  let requests = 0;
  octokit.hook.before("request", () => {
    requests += 1;
  });
  const org = options.org;
  const members = await octokit.paginate(octokit.rest.orgs.listMembers, { org, per_page: 100 });
  const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org, type: "all", per_page: 100 });
  let userKeys = 0;
  let deployKeys = 0;
  await forEachLimited(members, options.concurrency, async (member) => {
    const keys = await octokit.paginate(octokit.rest.users.listPublicKeysForUser, { username: member.login, per_page: 100 });
    userKeys += keys.length;
  });
  await forEachLimited(repos, options.concurrency, async (repo) => {
    const keys = await octokit.paginate(octokit.rest.repos.listDeployKeys, { owner: repo.owner.login, repo: repo.name, per_page: 100 });
    deployKeys += keys.length;
  });
  return { members: members.length, repos: repos.length, userKeys, deployKeys, requests };
}
