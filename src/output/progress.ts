import type { CrawlProgress } from "../github/index.js";

/*
 * The crawl's progress line on stderr. On a terminal it rewrites itself in place (carriage return, erase line,
 * no newline); piped, every call is one plain line, so logs stay readable. Pure: the caller writes it.
 */

// Built on first use: creating a NumberFormat costs ~20 ms of ICU start-up that other commands should not pay.
let formatter: Intl.NumberFormat | undefined;
const number = { format: (n: number): string => (formatter ??= new Intl.NumberFormat("en-US")).format(n) };

function count(done: number, total: number | null): string {
  if (total === null) return number.format(done);
  const percent = total === 0 ? 100 : Math.floor((Math.min(done, total) / total) * 100);
  return `${number.format(done)}/${number.format(total)} (${percent}%)`;
}

/** One progress line: org, phase, members and repositories done, requests sent, rate budget left. */
export function renderCrawlProgress(p: CrawlProgress, tty: boolean): string {
  const parts = [
    p.org === "" ? p.phase : `${p.org} ${p.phase}`,
    `members ${count(p.membersDone, p.membersTotal)}`,
    `repositories ${count(p.reposDone, p.reposTotal)}`,
    `${number.format(p.requests)} ${p.requests === 1 ? "request" : "requests"}`,
  ];
  if (p.rateRemaining !== null) parts.push(`rate limit ${number.format(p.rateRemaining)} left`);
  const line = parts.join(" · ");
  return tty ? `\r\u001b[2K${line}` : `${line}\n`;
}
