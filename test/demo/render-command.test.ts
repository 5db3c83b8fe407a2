import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { renderCommand, shellQuote } from "../../src/demo/render-command.js";

describe("renderCommand", () => {
  it("shows environment variables by name only", () => {
    expect(renderCommand(["crawl", "--org", "acme", "--api-url", "http://127.0.0.1:4000"], ["GITHUB_TOKEN"])).toBe(
      "$ GITHUB_TOKEN=… keyward crawl --org acme --api-url http://127.0.0.1:4000",
    );
  });

  it.each(["plain", "with space", "it's", "$HOME", "a\"b", "*.xml", "", "/tmp/x y/keyward.db"])("quotes %j so that sh reads it back unchanged", (word) => {
    const echoed = execFileSync("sh", ["-c", `printf '%s' ${shellQuote(word)}`], { encoding: "utf8" });
    expect(echoed).toBe(word);
  });
});
