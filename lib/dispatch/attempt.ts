/**
 * One attempt against one backend: an undici `Client#dispatch` on a pooled connection (pools.ts)
 * with a handler object (undici's raw-header handler API, which avoids parsing headers into an
 * object), streaming the response to the client with backpressure both ways. Standby answers
 * (standby.ts) are held before anything is sent; failures before the response is committed go to
 * the failover loop (`shared.onFailure`). The connection goes back to its pool when the request
 * completes or fails.
 *
 * Hot path: the handler is one plain object per attempt whose methods are shared module functions
 * (undici calls them as `handler.onX(…)`), so an attempt allocates no closures.
 */
import type { Client, Dispatcher } from 'undici';
import { DispatchError, isDebugLogging } from '../core/index.js';
import type { Exchange } from './exchange.js';
import { bodyForAttempt } from './body.js';
import { clientGoneError, mapUpstreamError } from './map-error.js';
import { upstreamPath, type Target } from './targets.js';
import type { OriginPool } from './pools.js';
import { commitResponse, completeResponse, breakResponse } from './respond.js';
import { STANDBY_BODY_LIMIT } from './standby.js';

/** Starts attempt `ex.attempt`. Never throws: failures are reported through `shared.onFailure`. */
export function forwardAttempt(ex: Exchange): void {
  const shared = ex.shared;
  // A standby answer that redirected to a known backend goes first, then the plan's rotation.
  const candidates = ex.plan.candidates;
  const url = ex.nextUrl ?? (candidates[ex.attempt % candidates.length] as string);
  ex.nextUrl = undefined;
  const target = ex.table.byUrl.get(url);
  if (target === undefined) {
    const error = new DispatchError('HAD_ERR_UPSTREAM_CONNECT', `${shared.role}: backend URL cannot be used`);
    shared.onFailure(ex, undefined, { kind: 'connect', error });
    return;
  }
  ex.requestSent = false;
  ex.abort = undefined;
  shared.balancer.begin(url);
  if (isDebugLogging()) {
    shared.log.debug('forwarding', { role: shared.role, backend: target.origin, attempt: ex.attempt + 1 });
  }
  const timeout = shared.service.responseTimeout;
  const options: Dispatcher.DispatchOptions = {
    path: upstreamPath(target, ex.route.rest, ex.route.search),
    method: ex.method as Dispatcher.HttpMethod,
    headers: ex.headers,
    body: bodyForAttempt(ex.body) as Buffer | null,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  };
  const handler = createAttemptHandler(ex, target);
  try {
    const pool = shared.pools.forTarget(target, shared.service.connectTimeout);
    const client = pool.acquire();
    handler.pool = pool;
    handler.client = client;
    client.dispatch(options, handler);
  } catch (err) {
    handler.onError(err as Error);
  }
}

/** Hands the attempt's connection back to its pool once its request has ended (once). */
function releaseConnection(h: AttemptHandler): void {
  const client = h.client;
  if (client === undefined) return;
  h.client = undefined;
  (h.pool as OriginPool).release(client);
}

/** Reads one header (case-insensitive) from undici's raw list. */
export function rawHeader(raw: readonly (Buffer | string)[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toString('latin1').toLowerCase() === name) return raw[i + 1]!.toString('latin1');
  }
  return undefined;
}

type Mode = 'waiting' | 'holding' | 'streaming' | 'settled';

/** The state of one attempt plus undici's handler API (and `onRequestSent`, which undici calls but does not declare). */
interface AttemptHandler {
  readonly ex: Exchange;
  readonly target: Target;
  /** The connection the request went out on, until it is handed back. */
  pool: OriginPool | undefined;
  client: Client | undefined;
  mode: Mode;
  /** undici's resume callback (after the client drained). */
  resume: (() => void) | undefined;
  /** `drain` listener on the client response, made on the first backpressure only. */
  onDrain: (() => void) | undefined;
  /** A standby candidate's status, headers and body, held until it is known not to be standby. */
  heldStatus: number;
  heldRaw: Buffer[];
  held: Buffer[];
  heldSize: number;
  onConnect(this: AttemptHandler, abort: (err?: Error) => void): void;
  onBodySent(this: AttemptHandler): void;
  onRequestSent(this: AttemptHandler): void;
  onHeaders(this: AttemptHandler, status: number, raw: Buffer[], resume: () => void): boolean;
  onData(this: AttemptHandler, chunk: Buffer): boolean;
  onComplete(this: AttemptHandler): void;
  onError(this: AttemptHandler, err: Error): void;
}

const NOTHING_HELD: Buffer[] = [];

function createAttemptHandler(ex: Exchange, target: Target): AttemptHandler {
  return {
    ex, target, pool: undefined, client: undefined, mode: 'waiting', resume: undefined, onDrain: undefined,
    heldStatus: 0, heldRaw: NOTHING_HELD, held: NOTHING_HELD, heldSize: 0,
    onConnect, onBodySent: markRequestSent, onRequestSent: markRequestSent, onHeaders, onData, onComplete, onError,
  };
}

function onConnect(this: AttemptHandler, abort: (err?: Error) => void): void {
  this.ex.abort = abort;
  if (this.ex.clientGone) abort(clientGoneError());
}

function markRequestSent(this: AttemptHandler): void {
  this.ex.requestSent = true;
}

function onHeaders(this: AttemptHandler, status: number, raw: Buffer[], resume: () => void): boolean {
  if (status < 200) return true; // 1xx: informational, not forwarded
  this.resume = resume;
  const shared = this.ex.shared;
  const detector = shared.standby;
  if (detector !== undefined && detector.statuses.has(status) && shared.canFailOver(this.ex)) {
    this.heldStatus = status;
    this.heldRaw = raw;
    if (detector.needsBody) { this.mode = 'holding'; this.held = []; return true; }
    const location = rawHeader(raw, 'location');
    if (detector.isStandby(status, location, '')) { settleStandby(this, location, true); return false; }
  }
  return commit(this, status, raw);
}

function onData(this: AttemptHandler, chunk: Buffer): boolean {
  if (this.mode === 'streaming') {
    if (this.ex.res.write(chunk)) return true;
    waitForDrain(this);
    return false;
  }
  if (this.mode !== 'holding') return false;
  this.held.push(chunk);
  this.heldSize += chunk.length;
  if (this.heldSize <= STANDBY_BODY_LIMIT) return true;
  return flushHeld(this);
}

function onComplete(this: AttemptHandler): void {
  releaseConnection(this);
  if (this.mode === 'holding') {
    const location = rawHeader(this.heldRaw, 'location');
    const body = Buffer.concat(this.held, this.heldSize).toString('latin1');
    if (this.ex.shared.standby?.isStandby(this.heldStatus, location, body) === true) { settleStandby(this, location, false); return; }
    // The whole answer is here: send it and end it, whether or not the client's socket is full
    // (undici has nothing left to resume, so waiting for a drain would never end the response).
    if (!commit(this, this.heldStatus, this.heldRaw)) return;
    writeHeld(this);
  }
  if (this.mode !== 'streaming') return;
  this.mode = 'settled';
  completeResponse(this.ex, this.target);
}

function onError(this: AttemptHandler, err: Error): void {
  releaseConnection(this);
  const was = this.mode;
  this.mode = 'settled';
  if (was === 'settled') return;
  const { ex, target } = this;
  if (was === 'streaming') { breakResponse(ex, target, err); return; }
  const shared = ex.shared;
  shared.onFailure(ex, target, mapUpstreamError(err, { requestSent: ex.requestSent }, {
    role: shared.role, backend: target.origin, attempt: ex.attempt + 1,
  }));
}

/** Sends status and headers to the client; on refusal the attempt fails (nothing was sent). */
function commit(h: AttemptHandler, status: number, raw: Buffer[]): boolean {
  const { ex, target } = h;
  if (commitResponse(ex, target, status, raw)) { h.mode = 'streaming'; return true; }
  h.mode = 'settled';
  ex.abort?.(new Error('response headers refused'));
  const error = new DispatchError('HAD_ERR_UPSTREAM_ABORTED', `${ex.shared.role}: invalid response headers from ${target.origin}`);
  ex.shared.onFailure(ex, target, { kind: 'internal', error });
  return false;
}

/** The held answer outgrew the standby limit (so it is not standby): commit it and send what was held. */
function flushHeld(h: AttemptHandler): boolean {
  if (!commit(h, h.heldStatus, h.heldRaw)) return false;
  if (writeHeld(h)) return true;
  waitForDrain(h);
  return false;
}

/** Writes the held body chunks; false when the client's socket is full. */
function writeHeld(h: AttemptHandler): boolean {
  let ok = true;
  for (const chunk of h.held) ok = h.ex.res.write(chunk);
  h.held = NOTHING_HELD;
  return ok;
}

function waitForDrain(h: AttemptHandler): void {
  h.onDrain ??= () => { h.resume?.(); };
  h.ex.res.onDrain = h.onDrain;
}

function settleStandby(h: AttemptHandler, location: string | undefined, unfinished: boolean): void {
  h.mode = 'settled';
  if (unfinished) h.ex.abort?.(new Error('standby answer'));
  h.ex.shared.onStandby(h.ex, h.target, h.heldStatus, location);
}
