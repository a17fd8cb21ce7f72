/**
 * Runs tasks one at a time in arrival order. A PKCS#11 session supports one operation at a time
 * (PKCS #11 Base v2.40, C_SignInit: one active signing operation per session), and pkcs11js
 * async calls run on worker threads, so every use of a session goes through one queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every previously queued task has settled. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
