import { describe, expect, it } from "vitest";
import type { CrawlProgress } from "../../src/github/index.js";
import { renderCrawlProgress } from "../../src/output/progress.js";

const progress: CrawlProgress = {
  org: "acme",
  phase: "repositories",
  membersDone: 1200,
  membersTotal: 10_000,
  reposDone: 300,
  reposTotal: null,
  requests: 1,
  rateRemaining: 4588,
};

describe("renderCrawlProgress", () => {
  it("prints one plain line per call when not on a terminal", () => {
    expect(renderCrawlProgress(progress, false)).toBe(
      "acme repositories · members 1,200/10,000 (12%) · repositories 300 · 1 request · rate limit 4,588 left\n",
    );
  });

  it("rewrites the same terminal line in place", () => {
    const line = renderCrawlProgress({ ...progress, requests: 2, rateRemaining: null, reposTotal: 0 }, true);
    expect(line).toBe("\r\u001b[2Kacme repositories · members 1,200/10,000 (12%) · repositories 300/0 (100%) · 2 requests");
    expect(line).not.toContain("\n");
  });
});
