/**
 * Polls `check` until it stops throwing (or rejecting) and returns its value; rethrows the last
 * error after `timeoutMs`. Use instead of fixed sleeps when waiting for something asynchronous.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((resolve) => { setTimeout(resolve, intervalMs); });
    }
  }
}
