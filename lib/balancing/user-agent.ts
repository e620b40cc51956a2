/**
 * `disableLoadBalancingForUserAgents` (Knox KNOX-2634, KNOX-2766): a request whose User-Agent
 * contains (case-sensitive substring) a listed entry is neither load-balanced nor made sticky.
 */

/**
 * True when `userAgent` contains any entry of `excluded`. Empty entries are ignored: in Knox an
 * empty entry (`a,,b`) matches every client and silently disables load balancing for everyone
 * (notes/knox.md §2.4), which is never what the operator meant. No User-Agent never matches.
 */
export function isUserAgentExcluded(excluded: readonly string[], userAgent: string | undefined): boolean {
  if (userAgent === undefined || excluded.length === 0) return false;
  for (const entry of excluded) {
    if (entry.length > 0 && userAgent.includes(entry)) return true;
  }
  return false;
}
