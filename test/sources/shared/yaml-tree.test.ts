import { describe, expect, it } from "vitest";
import { sourceText } from "../../../src/sources/shared/line-lookup.js";
import { parseRemoteRepo, parseOriginUrl } from "../../../src/sources/shared/repo-name.js";
import { get, lineOf, parseYamlTree, str } from "../../../src/sources/shared/yaml-tree.js";
import type { YNode } from "../../../src/sources/shared/yaml-tree.js";

function parse(text: string): YNode {
  const result = parseYamlTree(sourceText("f.yml", text));
  if ("error" in result) throw new Error(result.error);
  const [root] = result.documents;
  if (!root) throw new Error("empty");
  return root;
}

describe("parseYamlTree", () => {
  it("resolves aliases and merge keys to the anchor's own lines, explicit keys winning", () => {
    const root = parse(".base: &base\n  image: alpine\n  script: [one]\njob:\n  <<: *base\n  script: [two]\n");
    const job = get(root, "job");
    expect(str(get(job, "image"))).toBe("alpine");
    expect(lineOf(get(job, "image") as YNode)).toBe(2);
    const script = get(job, "script");
    expect(script?.kind === "seq" && str(script.items[0])).toBe("two");
    expect(lineOf(script as YNode)).toBe(6);
  });

  it("rejects an alias bomb and reports invalid YAML in one line", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (const name of "bcdef") levels.push(`${name}: &${name} [${Array(10).fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`).join(", ")}]`);
    const bomb = parseYamlTree(sourceText("bomb.yml", `${levels.join("\n")}\n`));
    expect("error" in bomb && bomb.error).toMatch(/resource exhaustion/);
    const broken = parseYamlTree(sourceText("b.yml", "a: [\n"));
    expect("error" in broken && broken.error).toMatch(/^invalid YAML: [^\n]+$/);
  });

  it("keeps a self-referencing anchor finite", () => {
    const result = parseYamlTree(sourceText("s.yml", "a: &a [1, *a]\n"));
    expect("documents" in result).toBe(true);
  });
});

describe("repository names", () => {
  it.each([
    ["git@github.com:acme/api.git", "acme/api"],
    ["https://github.com/acme/api", "acme/api"],
    ["ssh://git@gitlab.example.com:2222/group/sub/project.git", "group/sub/project"],
    ["https://token@gitlab.com/g/p.git", "g/p"],
    ["/srv/repos/bare.git", null],
  ])("reads %s as %s", (url, repo) => {
    expect(parseRemoteRepo(url)).toBe(repo);
  });

  it("takes origin's url, not another remote's", () => {
    expect(parseOriginUrl('[remote "fork"]\n\turl = git@github.com:me/x.git\n[remote "origin"]\n\turl = git@github.com:acme/x.git\n')).toBe("git@github.com:acme/x.git");
  });
});
