/**
 * Response passes: build the client's response header list from the backend's raw headers, in the
 * static order of {@link RESPONSE_PASSES}: copy end-to-end headers, rewrite a `Location` that points
 * at one of the service's backends to the gateway URL, append the sticky `Set-Cookie`.
 */
import type { ServiceBalancer, Plan } from '../../balancing/index.js';
import { matchBackendLocation, type Target } from '../targets.js';
import { connectionTokens, removeNamed } from './hop-by-hop.js';
import { commonHeader, commonHeaderValue, decodeLowerName, headerKind, isPlainConnectionValue } from './header-names.js';

/** Per-dispatcher constants the passes read. */
export interface ResponsePassSettings {
  readonly proto: 'http' | 'https';
  /** `/{gatewayPath}/{topology}/{service.path}`: the gateway URL path of the service. */
  readonly servicePrefix: string;
  readonly sticky: boolean;
  readonly balancer: Pick<ServiceBalancer, 'setCookieFor'>;
}

/** What the response passes read and build. */
export interface ResponsePassContext {
  readonly settings: ResponsePassSettings;
  /** Backend raw headers as undici gives them (`[name, value, …]` Buffers or strings). */
  readonly raw: readonly (Buffer | string)[];
  /** The client's Host header (for the rewritten Location). */
  readonly host: string | undefined;
  /** The service's backends, longest base path first. */
  readonly targets: readonly Target[];
  readonly plan: Plan;
  /** The backend URL (as listed) that answered. */
  readonly served: string;
  /** Outgoing headers, flat `[name, value, …]`. */
  readonly headers: string[];
  /** Index in `headers` of the Location value, or -1. */
  locationAt: number;
}

/** One response pass. */
export type ResponsePass = (ctx: ResponsePassContext) => void | 'stop';

/** Copies the backend's end-to-end headers (all Set-Cookie headers kept, hop-by-hop dropped). */
export const copyResponseHeaders: ResponsePass = (ctx) => {
  const raw = ctx.raw;
  const out = ctx.headers;
  let connection: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const rawName = raw[i]!;
    const rawValue = raw[i + 1]!;
    const common = typeof rawName === 'string' ? undefined : commonHeader(rawName);
    const name = common !== undefined ? common.name : decodeLowerName(rawName);
    const kind = common !== undefined ? common.kind : headerKind(name);
    if (kind === 'hop-by-hop') continue;
    if (kind === 'connection') {
      // `keep-alive` or `close` names no other header: not even decoded.
      if (!isPlainConnectionValue(rawValue)) {
        const value = rawValue.toString('latin1');
        connection = connection === undefined ? value : `${connection}, ${value}`;
      }
      continue;
    }
    const value = common !== undefined ? commonHeaderValue(common, rawValue) : rawValue.toString('latin1');
    if (kind === 'location') ctx.locationAt = out.length + 1;
    out.push(name, value);
  }
  if (connection !== undefined) {
    const names = connectionTokens(connection);
    if (names !== undefined) {
      removeNamed(out, names);
      ctx.locationAt = valueIndex(out, 'location');
    }
  }
};

function valueIndex(headers: readonly string[], name: string): number {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return i + 1;
  return -1;
}

/** Rewrites a Location that points at one of the service's backends to the gateway URL. */
export const rewriteLocation: ResponsePass = (ctx) => {
  if (ctx.locationAt < 0 || ctx.host === undefined) return;
  const location = ctx.headers[ctx.locationAt] as string;
  const rest = matchBackendLocation(location, ctx.targets);
  if (rest === undefined) return;
  ctx.headers[ctx.locationAt] = `${ctx.settings.proto}://${ctx.host}${ctx.settings.servicePrefix}${rest}`;
};

/** Appends our sticky Set-Cookie next to the backend's own (first response, or when the backend changed). */
export const appendStickyCookie: ResponsePass = (ctx) => {
  if (!ctx.settings.sticky) return;
  const cookie = ctx.settings.balancer.setCookieFor(ctx.plan, ctx.served);
  if (cookie !== undefined) ctx.headers.push('set-cookie', cookie);
};

/** The response passes, in order. */
export const RESPONSE_PASSES: readonly ResponsePass[] = Object.freeze([
  copyResponseHeaders,
  rewriteLocation,
  appendStickyCookie,
]);

/** Runs {@link RESPONSE_PASSES}; false when a pass stopped the chain. */
export function runResponsePasses(ctx: ResponsePassContext): boolean {
  for (let i = 0; i < RESPONSE_PASSES.length; i++) {
    const pass = RESPONSE_PASSES[i] as ResponsePass;
    if (pass(ctx) === 'stop') return false;
  }
  return true;
}
