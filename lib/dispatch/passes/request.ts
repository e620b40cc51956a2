/**
 * Request passes (the node-http-proxy idea): small named steps that turn the client's request
 * headers into the upstream header list, run once per request (not per attempt) in the static order
 * of {@link REQUEST_PASSES}. Each pass may return `'stop'` to end the chain.
 */
import type { ServiceBalancer } from '../../balancing/index.js';
import { HOP_BY_HOP, connectionTokens, removeNamed } from './hop-by-hop.js';

/** Per-dispatcher constants the passes read. */
export interface RequestPassSettings {
  /** `/{gatewayPath}/{topology}`: X-Forwarded-Context. */
  readonly forwardedContext: string;
  /** `http` or `https`. */
  readonly proto: 'http' | 'https';
  /** Sticky sessions are effective: our cookie is stripped before forwarding. */
  readonly stripSticky: boolean;
  readonly balancer: Pick<ServiceBalancer, 'stripStickyCookie'>;
  /** Lower-case header name of `cookielessAffinity=header:NAME`, if configured. */
  readonly affinityHeader: string | undefined;
}

/** What the passes read from the request and build for the upstream. */
export interface RequestPassContext {
  readonly settings: RequestPassSettings;
  /** The client's raw headers (`IncomingMessage#rawHeaders`). */
  readonly rawHeaders: readonly string[];
  readonly clientIp: string;
  readonly localPort: number;
  /** Outgoing headers, flat `[name, value, …]`, lower-case names. */
  readonly headers: string[];
  cookie: string | undefined;
  host: string | undefined;
  userAgent: string | undefined;
  forwardedFor: string | undefined;
  affinityKey: string | undefined;
  connection: string | undefined;
}

/** One request pass. */
export type RequestPass = (ctx: RequestPassContext) => void | 'stop';

/** Headers we set ourselves or handle in a dedicated pass (not copied verbatim). */
function takeSpecial(ctx: RequestPassContext, name: string, value: string): boolean {
  switch (name) {
    case 'host': ctx.host = value; return true;
    case 'cookie': ctx.cookie = ctx.cookie === undefined ? value : `${ctx.cookie}; ${value}`; return true;
    case 'x-forwarded-for': ctx.forwardedFor = ctx.forwardedFor === undefined ? value : `${ctx.forwardedFor}, ${value}`; return true;
    case 'x-forwarded-proto': case 'x-forwarded-host': case 'x-forwarded-port': case 'x-forwarded-context': return true;
    case 'expect': return true; // the gateway's server already answered 100-continue
    case 'connection': ctx.connection = ctx.connection === undefined ? value : `${ctx.connection}, ${value}`; return true;
    case 'user-agent': ctx.userAgent = value; return false;
    default: return false;
  }
}

/** Copies end-to-end headers, drops hop-by-hop ones, and records the ones later passes need. */
export const copyEndToEndHeaders: RequestPass = (ctx) => {
  const raw = ctx.rawHeaders;
  const affinity = ctx.settings.affinityHeader;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (takeSpecial(ctx, name, value) || HOP_BY_HOP.has(name)) continue;
    if (name === affinity && ctx.affinityKey === undefined) ctx.affinityKey = value;
    ctx.headers.push(name, value);
  }
};

/**
 * Drops the headers the client's `Connection` headers name (they are hop-by-hop too), the Cookie
 * header included; the X-Forwarded-* headers the gateway sets itself are set all the same.
 */
export const dropConnectionNamed: RequestPass = (ctx) => {
  if (ctx.connection === undefined) return;
  const names = connectionTokens(ctx.connection);
  if (names === undefined) return;
  removeNamed(ctx.headers, names);
  if (names.has('cookie')) ctx.cookie = undefined;
};

/** Forwards the Cookie header without our sticky cookie (it is ours, not the backend's). */
export const forwardCookies: RequestPass = (ctx) => {
  const cookie = ctx.cookie;
  if (cookie === undefined) return;
  const kept = ctx.settings.stripSticky ? ctx.settings.balancer.stripStickyCookie(cookie) : cookie;
  if (kept !== undefined && kept !== '') ctx.headers.push('cookie', kept);
};

/** Sets X-Forwarded-For (appending the client address), -Proto, -Host, -Port and -Context. */
export const addForwardedHeaders: RequestPass = (ctx) => {
  const ip = ctx.clientIp;
  ctx.headers.push(
    'x-forwarded-for', ctx.forwardedFor === undefined ? ip : `${ctx.forwardedFor}, ${ip}`,
    'x-forwarded-proto', ctx.settings.proto,
    'x-forwarded-port', portText(ctx.localPort),
    'x-forwarded-context', ctx.settings.forwardedContext,
  );
  if (ctx.host !== undefined) ctx.headers.push('x-forwarded-host', ctx.host);
};

let lastPort = -1;
let lastPortText = '';

/** `String(port)`, remembered for the listening port (the same for nearly every request). */
function portText(port: number): string {
  if (port !== lastPort) {
    lastPort = port;
    lastPortText = String(port);
  }
  return lastPortText;
}

/** The request passes, in order. */
export const REQUEST_PASSES: readonly RequestPass[] = Object.freeze([
  copyEndToEndHeaders,
  dropConnectionNamed,
  forwardCookies,
  addForwardedHeaders,
]);

/** Runs {@link REQUEST_PASSES}; false when a pass stopped the chain. */
export function runRequestPasses(ctx: RequestPassContext): boolean {
  for (let i = 0; i < REQUEST_PASSES.length; i++) {
    if ((REQUEST_PASSES[i] as RequestPass)(ctx) === 'stop') return false;
  }
  return true;
}
