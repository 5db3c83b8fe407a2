import { describe, expect, it } from "vitest";
import { parseRepository } from "../../../src/sources/jenkins/index.js";

describe("parseRepository", () => {
  it.each([
    ["git@github.com:acme/app.git", "acme/app"],
    ["github.com:acme/app", "acme/app"],
    ["ssh://git@github.com/acme/app.git", "acme/app"],
    ["ssh://git@ghe.example.com:2222/acme/app.git", "acme/app"],
    ["https://github.com/acme/app", "acme/app"],
    ["https://github.com/acme/app.git/", "acme/app"],
    ["https://gitlab.example.com/group/sub/app.git", null],
    ["https://github.com/acme", null],
    ["file:///srv/git/app.git", null],
    ["not a url", null],
  ])("reads %s as %s", (url, expected) => {
    expect(parseRepository(url)).toBe(expected);
  });
});
