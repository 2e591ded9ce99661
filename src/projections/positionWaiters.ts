/**
 * Read-your-writes: callers waiting until the projections have folded every
 * event up to a global position (the API waits after an append). Each waiter
 * resolves true when the position is reached, false on its timeout or when the
 * projections stop.
 */
interface Waiter {
  readonly position: bigint;
  readonly resolve: (ok: boolean) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  /** Resolves true once `reached()` is at least `target`, false after `timeoutMs`. */
  waitFor(target: bigint, timeoutMs: number, reached: bigint): Promise<boolean> {
    if (target <= reached) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const w: Waiter = { position: target, resolve };
      w.timer = setTimeout(
        () => {
          this.waiters.delete(w);
          resolve(false);
        },
        Math.max(0, timeoutMs),
      );
      w.timer.unref?.();
      this.waiters.add(w);
    });
  }

  /**
   * Everything up to `position` is folded: release the waiters it satisfies, calling
   * `beforeRelease` once first when there are any (what they will read must be ready).
   */
  reached(position: bigint, beforeRelease?: () => void): void {
    if (this.waiters.size === 0) return;
    let ready = beforeRelease === undefined;
    for (const w of this.waiters) {
      if (w.position > position) continue;
      if (!ready) {
        beforeRelease?.();
        ready = true;
      }
      this.settle(w, true);
    }
  }

  /** Release every waiter with false (stopping). */
  cancelAll(): void {
    for (const w of this.waiters) this.settle(w, false);
  }

  private settle(w: Waiter, ok: boolean): void {
    this.waiters.delete(w);
    if (w.timer !== undefined) clearTimeout(w.timer);
    w.resolve(ok);
  }
}
