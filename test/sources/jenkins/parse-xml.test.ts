import { describe, expect, it } from "vitest";
import { parseJenkinsXml } from "../../../src/sources/jenkins/index.js";
import { child } from "../../../src/sources/jenkins/parse-xml.js";

describe("parseJenkinsXml", () => {
  it("accepts the XML 1.1 declaration Jenkins writes and decodes the predefined entities", () => {
    const root = parseJenkinsXml(`<?xml version='1.1' encoding='UTF-8'?>\n<project><script>sh &apos;a &amp;&amp; b&apos; &lt;x&gt; &#xc;</script></project>`);
    expect(root.name).toBe("project");
    expect(child(root, "script")?.text).toBe("sh 'a && b' <x> \f");
  });

  it("refuses a DOCTYPE that declares entities (billion laughs) without expanding them", () => {
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<project><description>&lol1;</description></project>`;
    expect(() => parseJenkinsXml(bomb)).toThrow(/entities/);
  });

  it("refuses truncated XML", () => {
    expect(() => parseJenkinsXml(`<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <scm class="x">\n    <url>`)).toThrow(/not well-formed/);
  });

  it("leaves an undeclared entity reference as written", () => {
    expect(child(parseJenkinsXml(`<a><b>&custom;</b></a>`), "b")?.text).toBe("&custom;");
  });
});
