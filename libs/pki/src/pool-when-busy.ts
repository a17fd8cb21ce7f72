// Where small crypto runs (an RSA signature, a CSR's self-signature check): on the calling thread when it is
// alone, on the libuv thread pool when others are under way. Alone, the hand-off to the pool and back (two
// thread wake-ups, on some virtual machines 0.1-0.2 ms) costs more than the work; under load, work on the
// pool runs on the other core beside the event loop, which is then free for everything else.

/** See the file comment: one per kind of work (each counts its own calls under way). */
export class PoolWhenBusy {
  /** Calls under way on the thread pool. */
  private pooled = 0;
  /** A call ran on the calling thread in this turn of the event loop. */
  private ranThisTurn = false;

  /**
   * `onThread()` when no call of this kind is under way on the pool and none ran on the calling thread in
   * this turn of the event loop (the first of a burst); otherwise `onPool()`. Without `onThread` (work too
   * large for the event loop, a CRL's signature), `onPool()` always, counted as under way like the others.
   */
  async run<T>(onThread: (() => T) | null, onPool: () => Promise<T>): Promise<T> {
    if (onThread && this.pooled === 0 && !this.ranThisTurn) {
      this.ranThisTurn = true;
      setImmediate(() => { this.ranThisTurn = false; });
      return onThread();
    }
    this.pooled += 1;
    try {
      return await onPool();
    } finally {
      this.pooled -= 1;
    }
  }

  /** Calls of this kind under way on the pool (for tests). */
  get underWay(): number {
    return this.pooled;
  }
}
