import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/cli/context.js";
import type * as RunCliModule from "../../src/cli/run-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/*
 * The demo's guard: when keyward stops telling the story, the demo must fail loudly. A step is made to lie by
 * wrapping the real runCli: after the deletion, `check` answers "nothing broken".
 */
const lie = vi.hoisted(() => ({ active: false }));

vi.mock("../../src/cli/run-cli.js", async (importOriginal) => {
  const real = await importOriginal<typeof RunCliModule>();
  return {
    runCli: async (argv: readonly string[], io: CliIo): Promise<number> => {
      if (lie.active && argv[0] === "check") {
        io.stdout(argv.includes("json") ? '{ "broken": [] }\n' : "nothing broken\n");
        return 0;
      }
      return real.runCli(argv, io);
    },
  };
});

const { runDemo } = await import("../../src/demo/run-demo.js");

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: tempDir(), stdoutIsTTY: false, stderrIsTTY: false },
    out: () => out,
    err: () => err,
  };
}

describe("runDemo", () => {
  it("returns 2 and says loudly which step failed when check does not report the broken pipeline", async () => {
    lie.active = true;
    try {
      const dir = join(tempDir(), "demo");
      const c = capture();
      const code = await runDemo({ dir, io: c.io });
      expect(code).toBe(2);
      expect(c.err()).toContain("keyward demo FAILED");
      expect(c.err()).toMatch(/keyward check --db \S+ exited 0, expected 1/);
      expect(c.out()).not.toContain("played out as told");
      expect(existsSync(join(dir, "keyward.db"))).toBe(true);
    } finally {
      lie.active = false;
    }
  });

  it("refuses a --dir that holds files and leaves it untouched", async () => {
    const c = capture();
    const busy = tempDir();
    writeFileSync(join(busy, "notes.txt"), "mine");
    await expect(runDemo({ dir: busy, io: c.io })).rejects.toThrow(/is not empty/);
    expect(readdirSync(busy)).toEqual(["notes.txt"]);
  });
});
