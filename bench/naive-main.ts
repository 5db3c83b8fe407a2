import { naiveCrawl } from "./naive-crawler.js";

/*
 * Child-process entry of the naive crawler, so that it pays the same process start and gets the same memory
 * measurement as keyward. Usage: node naive-main.js <org> <api-url> <concurrency>, token in GITHUB_TOKEN.
 * Prints one JSON document.
 */
const [org, apiUrl, concurrency] = process.argv.slice(2);
const token = process.env["GITHUB_TOKEN"];
if (!org || !apiUrl || !token) {
  process.stderr.write("usage: GITHUB_TOKEN=… node naive-main.js <org> <api-url> [concurrency]\n");
  process.exitCode = 2;
} else {
  const result = await naiveCrawl({ org, apiUrl, token, concurrency: Number(concurrency ?? "8") || 8 });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
