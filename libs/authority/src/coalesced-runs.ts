// An action per key (a community's rebuild, its announcement to the other instances) run one at a time:
// a call while the key's run is under way does not start another beside it, nor wait in a queue of its
// own, but asks for one more run after it, which every call made meanwhile shares. So a burst of calls
// (a bulk onboarding: one new server certificate after another) costs at most two runs, and the last run
// always starts after the last call, so it sees whatever that call's caller had committed.

/** See the file comment. */
export class CoalescedRuns {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly action: (key: string) => Promise<void>) {}

  /**
   * Runs the action for `key`, or, while a run is under way, has it run once more after that one.
   * Resolves when the run under way (and any run after it that this call shares) has finished.
   */
  run(key: string): Promise<void> {
    const running = this.running.get(key);
    if (running) {
      this.again.add(key);
      return running;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(key);
          await this.action(key);
        } while (this.again.has(key));
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, run);
    return run;
  }

  /** Waits for every run under way to finish, whatever its outcome. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
