/**
 * At most `limit` tasks at a time. `submit` resolves once the task has started, so a producer that awaits it
 * (a page stream feeding per-repository requests) slows to the pace of the work instead of queueing a whole
 * org in memory. Tasks must handle their own errors; the first one that escapes is rethrown by `drain`.
 */
export class TaskPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  async submit(task: () => Promise<void>): Promise<void> {
    if (this.failure) throw this.failure.error;
    // A finished task hands its slot straight to the first waiter, so the limit holds exactly.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    const run = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.running.delete(run);
        const next = this.waiting.shift();
        if (next) next();
        else this.active -= 1;
      });
    this.running.add(run);
  }

  /** Waits for every started task; rethrows the first error a task let escape. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
    if (this.failure) throw this.failure.error;
  }
}
