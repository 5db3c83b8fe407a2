export { crawl, type CrawlOptions, type CrawlProgress, type CrawlResult } from "./crawl.js";
export { createGitHubClient, graphqlUrlOf, RateLimitStopError, GraphqlQueryError, type GitHubAuth, type GitHubClient } from "./client.js";
