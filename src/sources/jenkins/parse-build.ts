import type { XmlElement } from "./parse-xml.js";
import { child, childrenNamed, escapeXmlText, indexOfAny, lineAt } from "./parse-xml.js";
import type { ConfigReference } from "./parse-job.js";
import { parsePipelineScript } from "./parse-pipeline-script.js";

/**
 * A pipeline build's `build.xml`: `CpsFlowExecution` keeps the script the build ran (`script`) and every script it
 * `load`ed (`loadedScripts`: entries of name + text), so the Jenkinsfile of an SCM pipeline is readable here
 * without the repository (jenkinsci/workflow-cps-plugin: CpsFlowExecution.java).
 */

/** The credential references in the scripts a build recorded (style `build-script`). */
export function parseBuildScripts(root: XmlElement, raw: string): ConfigReference[] {
  const execution = child(root, "execution");
  if (execution === undefined) return [];
  const references: ConfigReference[] = [];
  const executionIndex = Math.max(0, raw.indexOf("<execution"));
  const script = child(execution, "script");
  if (script !== undefined) {
    const scriptIndex = raw.indexOf("<script>", executionIndex);
    const firstLine = scriptIndex < 0 ? 1 : lineAt(raw, scriptIndex);
    for (const found of parsePipelineScript(script.text)) {
      references.push({
        style: "build-script",
        credentialId: found.credentialId,
        expression: found.expression,
        url: found.url,
        line: firstLine + found.line - 1,
        detail: { step: found.step, script: "Jenkinsfile" },
      });
    }
  }
  const loadedIndex = raw.indexOf("<loadedScripts", executionIndex);
  for (const entry of childrenNamed(child(execution, "loadedScripts"), "entry")) {
    const [name, text] = childrenNamed(entry, "string");
    if (text === undefined) continue;
    // The entry's text is escaped in the file exactly as XStream wrote it: find where it starts.
    const firstLineText = text.text.split("\n")[0] ?? "";
    const start = indexOfAny(raw, [escapeXmlText(firstLineText)], Math.max(0, loadedIndex));
    const firstLine = start < 0 ? lineAt(raw, Math.max(0, loadedIndex)) : lineAt(raw, start);
    for (const found of parsePipelineScript(text.text)) {
      references.push({
        style: "build-script",
        credentialId: found.credentialId,
        expression: found.expression,
        url: found.url,
        line: firstLine + found.line - 1,
        detail: { step: found.step, script: name?.text.trim() ?? "loaded script" },
      });
    }
  }
  return references;
}
