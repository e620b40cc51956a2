/**
 * Backends that were draining when they left the backend list, remembered (a small bounded FIFO)
 * with their route tokens, so a sticky session whose primary was drained and then removed is still
 * counted as re-assigned with cause `drained`, not `backend_gone`. Only the rare "primary not
 * listed" path consults it; nothing here runs per request otherwise.
 */
import type { StickyKeys } from './types.js';
import { computeRouteTokens } from './cookie-signing.js';
import { cookieValueAt, findCookie } from './cookie-header.js';
import { TOKEN_LENGTH } from './backend-index.js';
import { MAX_STICKY_COOKIES } from './sticky-cookie.js';

/** How many departed drained backends are remembered (the oldest is forgotten first). */
export const RECENTLY_DRAINED_LIMIT = 16;

/** The remembered drained-then-removed backends of one service. */
export interface RecentlyDrained {
  /** Remembers `url` (it was draining and has just left the list), evicting the oldest beyond the limit. */
  remember(url: string): void;
  /** Forgets every remembered URL that `listed` holds again (it is back: its tokens resolve normally). */
  forgetListed(listed: ReadonlyMap<string, unknown>): void;
  /** True when the first route of some cookie named `name` in `header` is a token of a remembered URL. */
  namesPrimaryOf(header: string | undefined, name: string): boolean;
  readonly size: number;
}

interface Entry {
  readonly url: string;
  /** Every token that named the URL (all keys, plus the Knox hash when accepted). */
  readonly tokens: readonly string[];
}

/** Creates an empty set; tokens are computed with `keys` as the balancer's index does. */
export function createRecentlyDrained(keys: StickyKeys | undefined, limit = RECENTLY_DRAINED_LIMIT): RecentlyDrained {
  const entries: Entry[] = [];
  const firstRouteIsRemembered = (value: string): boolean => {
    if (value.length !== TOKEN_LENGTH && value.charCodeAt(TOKEN_LENGTH) !== 46 /* . */) return false;
    for (const entry of entries) {
      for (const token of entry.tokens) if (value.startsWith(token)) return true;
    }
    return false;
  };
  return {
    remember(url) {
      const known = entries.findIndex((e) => e.url === url);
      if (known >= 0) entries.splice(known, 1);
      entries.push({ url, tokens: computeRouteTokens(url, keys).accepted.map((t) => t.token) });
      if (entries.length > limit) entries.shift();
    },
    forgetListed(listed) {
      for (let i = entries.length - 1; i >= 0; i--) if (listed.has(entries[i]?.url ?? '')) entries.splice(i, 1);
    },
    namesPrimaryOf(header, name) {
      if (entries.length === 0 || header === undefined) return false;
      let at = findCookie(header, name, 0);
      for (let seen = 0; at >= 0 && seen < MAX_STICKY_COOKIES; seen++) {
        if (firstRouteIsRemembered(cookieValueAt(header, at))) return true;
        at = findCookie(header, name, at);
      }
      return false;
    },
    get size() {
      return entries.length;
    },
  };
}
