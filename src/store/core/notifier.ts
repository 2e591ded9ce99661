/**
 * In-process commit notifier: the embedded stores call `notify()` after each
 * commit; subscribers wait for the version to move past the one they last read at.
 * Wake-ups are coalesced: the version moves at once, but waiters are woken once
 * per event-loop turn (setImmediate), so a burst of commits (16 concurrent
 * writers, say) costs each subscriber one read, not one read per commit.
 */
export class CommitNotifier {
  private current = 0;
  private closedFlag = false;
  private wakeScheduled = false;
  private readonly waiters = new Set<() => void>();

  get version(): number {
    return this.current;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  notify(): void {
    this.current++;
    if (this.wakeScheduled || this.waiters.size === 0) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.wakeAll();
    });
  }

  close(): void {
    this.closedFlag = true;
    this.wakeAll();
  }

  /**
   * Resolves once the version differs from `seen`, the notifier closes, `cancel`
   * is called through `onCancel`, or `pollMs` passes (a fallback for writers in
   * other processes).
   */
  waitForChange(seen: number, onCancel: (cancel: () => void) => void, pollMs?: number): Promise<void> {
    if (this.current !== seen || this.closedFlag) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        this.waiters.delete(done);
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      this.waiters.add(done);
      if (pollMs !== undefined) timer = setTimeout(done, pollMs);
      onCancel(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
