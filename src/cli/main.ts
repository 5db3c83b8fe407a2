#!/usr/bin/env node
import { runCli } from "./run-cli.js";
import { promptSecret } from "./prompt.js";

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  ...(process.stdin.isTTY ? { promptSecret } : {}),
});
process.exitCode = code;
