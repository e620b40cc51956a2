/**
 * Service-specific standby detection (Knox, notes/knox.md §4.5), applied to a backend response
 * before anything reaches the client:
 * - WEBHDFS, HDFSUI: a 403 whose body contains `StandbyException`, `SafeModeException` or
 *   `RetriableException` (KNOX-450, KNOX-1093).
 * - RESOURCEMANAGER family (RESOURCEMANAGER, RESOURCEMANAGERAPI, YARNUI, YARNUIV2): a 403 or 307
 *   whose body contains `This is standby RM`; the redirect target becomes the next candidate when it
 *   is one of the backends.
 * - ATLAS: a 302 or 307 that is not a login redirect (Location ending in `login.jsp` or containing
 *   `originalUrl`, KNOX-1344).
 * - ATLAS-API: any 302 or 307 with a Location.
 * HTTP 5xx never triggers failover (Knox).
 */

/** Bodies of responses that may be standby answers are held up to this size to look inside. */
export const STANDBY_BODY_LIMIT = 64 * 1024;

/** How one role recognises a standby backend. */
export interface StandbyDetector {
  /** Statuses that may be a standby answer (anything else passes straight through). */
  readonly statuses: ReadonlySet<number>;
  /** The body must be inspected (held up to {@link STANDBY_BODY_LIMIT}); else the headers decide. */
  readonly needsBody: boolean;
  /** Follow the Location of a standby answer to a known backend (YARN RM). */
  readonly followLocation: boolean;
  /** True when the response is a standby answer. `body` is latin1 text ('' when not needed). */
  isStandby(status: number, location: string | undefined, body: string): boolean;
}

const HDFS_MARKERS = ['StandbyException', 'SafeModeException', 'RetriableException'] as const;

const HDFS: StandbyDetector = Object.freeze({
  statuses: new Set([403]),
  needsBody: true,
  followLocation: false,
  isStandby: (_status: number, _location: string | undefined, body: string) => HDFS_MARKERS.some((m) => body.includes(m)),
});

const RM: StandbyDetector = Object.freeze({
  statuses: new Set([403, 307]),
  needsBody: true,
  followLocation: true,
  isStandby: (_status: number, _location: string | undefined, body: string) => body.includes('This is standby RM'),
});

/** KNOX-1344: Atlas login redirects are answers, not a sign of a passive Atlas. */
function isAtlasLoginRedirect(location: string | undefined): boolean {
  return location !== undefined && (location.endsWith('login.jsp') || location.includes('originalUrl'));
}

const ATLAS: StandbyDetector = Object.freeze({
  statuses: new Set([302, 307]),
  needsBody: false,
  followLocation: false,
  isStandby: (_status: number, location: string | undefined) => !isAtlasLoginRedirect(location),
});

const ATLAS_API: StandbyDetector = Object.freeze({
  statuses: new Set([302, 307]),
  needsBody: false,
  followLocation: false,
  isStandby: (_status: number, location: string | undefined) => location !== undefined && location !== '',
});

/** The detector for a role (case-insensitive), or undefined when the role has none. */
export function standbyDetectorFor(role: string): StandbyDetector | undefined {
  switch (role.toUpperCase()) {
    case 'WEBHDFS': case 'HDFSUI': return HDFS;
    case 'RESOURCEMANAGER': case 'RESOURCEMANAGERAPI': case 'YARNUI': case 'YARNUIV2': return RM;
    case 'ATLAS': return ATLAS;
    case 'ATLAS-API': return ATLAS_API;
    default: return undefined;
  }
}
