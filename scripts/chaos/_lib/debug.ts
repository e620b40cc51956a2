/** `CHAOS_DEBUG=1`: timestamped progress lines on stderr. */
const on = process.env['CHAOS_DEBUG'] === '1';
const t0 = Date.now();
export function debug(...parts: unknown[]): void {
  if (on) process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(2)}s] ${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}\n`);
}
