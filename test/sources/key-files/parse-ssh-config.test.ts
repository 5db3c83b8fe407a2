import { describe, expect, it } from "vitest";
import { expandConfigPath, parseSshConfig } from "../../../src/sources/key-files/parse-ssh-config.js";

describe("parseSshConfig", () => {
  it("finds IdentityFile and Include entries under their Host blocks, in any case and with =", () => {
    const text = ["# global", "IdentityFile ~/.ssh/id_ed25519", "Host git.example.com *.corp", '  identityfile="~/.ssh/corp key"', "  User git", "Include a.conf b.conf", ""].join("\n");
    expect(parseSshConfig(text)).toEqual([
      { keyword: "identityfile", value: "~/.ssh/id_ed25519", line: 2, host: null },
      { keyword: "identityfile", value: "~/.ssh/corp key", line: 4, host: "Host git.example.com *.corp" },
      { keyword: "include", value: "a.conf", line: 6, host: "Host git.example.com *.corp" },
      { keyword: "include", value: "b.conf", line: 6, host: "Host git.example.com *.corp" },
    ]);
  });

  it("expands ~, %d, %u and %% and names what it cannot expand", () => {
    expect(expandConfigPath("~/.ssh/k", "/home/ci", "ci", "/x")).toEqual({ path: "/home/ci/.ssh/k" });
    expect(expandConfigPath("%d/keys/%u_100%%", "/home/ci", "ci", "/x")).toEqual({ path: "/home/ci/keys/ci_100%" });
    expect(expandConfigPath("keys/k", "/home/ci", "ci", "/home/ci")).toEqual({ path: "/home/ci/keys/k" });
    expect(expandConfigPath("~/.ssh/%h", "/home/ci", "ci", "/x")).toEqual({ unexpanded: "%h" });
    expect(expandConfigPath("${KEYDIR}/k", "/home/ci", "ci", "/x")).toEqual({ unexpanded: "${KEYDIR}" });
  });
});
