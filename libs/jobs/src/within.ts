/**
 * `p`, or a rejection with `error()` after `ms`. BullMQ waits for a lost Redis connection to come
 * back before it sends a command, so every call the platform must not hang on goes through this.
 */
export async function within<T>(ms: number, p: Promise<T>, error: () => Error = () => new Error(`not done within ${ms} ms`)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(error()), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
