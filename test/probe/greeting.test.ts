import { describe, expect, it } from "vitest";
import { parseGreeting } from "../../src/probe/index.js";

describe("parseGreeting", () => {
  it.each([
    ["Hi octocat! You've successfully authenticated, but GitHub does not provide shell access.", "octocat", null],
    ["Hi acme/api! You've successfully authenticated, but GitHub does not provide shell access.", null, "acme/api"],
    ["Hi my-org/my.repo_2! You've successfully authenticated, but GitHub does not provide shell access.", null, "my-org/my.repo_2"],
    ["Hi a-b-c! You\u2019ve successfully authenticated, but GitHub does not provide shell access.", "a-b-c", null],
    ["PTY allocation request failed on channel 0\r\nHi octocat! You've successfully authenticated, but GitHub does not provide shell access.\r\n", "octocat", null],
    ["  Hi octocat! You've successfully authenticated.\n", "octocat", null],
  ])("reads the name out of %j", (text, account, repository) => {
    expect(parseGreeting(text)).toEqual({ account, repository });
  });

  it.each([
    "Permission denied (publickey).",
    "",
    "Hi octocat!",
    "Hi there! Welcome to GitLab, @octocat!",
    "Hi a/b/c! You've successfully authenticated, but GitHub does not provide shell access.",
    "Hi -octocat! You've successfully authenticated, but GitHub does not provide shell access.",
    "Hi octocat-! You've successfully authenticated, but GitHub does not provide shell access.",
    "Hi /api! You've successfully authenticated, but GitHub does not provide shell access.",
    "Say Hi octocat! You've successfully authenticated",
  ])("returns null for text that is not GitHub's greeting: %j", (text) => {
    expect(parseGreeting(text)).toBeNull();
  });
});
