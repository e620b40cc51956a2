/**
 * One attempt against one backend: an undici `Pool#dispatch` with a handler object (undici's
 * raw-header handler API, which avoids parsing headers into an object), streaming the response to
 * the client with backpressure both ways. Standby answers (standby.ts) are held before anything is
 * sent; failures before the response is committed go to the failover loop (`shared.onFailure`).
 */
import type { Dispatcher } from 'undici';
import { DispatchError } from '../core/index.js';
import type { Exchange } from './exchange.js';
import { pickTarget } from './exchange.js';
import { bodyForAttempt } from './body.js';
import { clientGoneError, mapUpstreamError } from './map-error.js';
import { upstreamPath, type Target } from './targets.js';
import { commitResponse, completeResponse, breakResponse } from './respond.js';
import { STANDBY_BODY_LIMIT } from './standby.js';

/** Starts attempt `ex.attempt`. Never throws: failures are reported through `shared.onFailure`. */
export function forwardAttempt(ex: Exchange): void {
  const shared = ex.shared;
  const { url, target } = pickTarget(ex);
  if (target === undefined) {
    const error = new DispatchError('HAD_ERR_UPSTREAM_CONNECT', `${shared.role}: backend URL cannot be used`);
    shared.onFailure(ex, undefined, { kind: 'connect', error });
    return;
  }
  ex.requestSent = false;
  ex.abort = undefined;
  shared.balancer.begin(url);
  if (shared.log.isDebugEnabled()) {
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
    shared.pools.get(target.origin, shared.service.connectTimeout).dispatch(options, handler);
  } catch (err) {
    handler.onError?.(err as Error);
  }
}

type Mode = 'waiting' | 'holding' | 'streaming' | 'settled';

/** Reads one header (case-insensitive) from undici's raw list. */
export function rawHeader(raw: readonly (Buffer | string)[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toString('latin1').toLowerCase() === name) return raw[i + 1]!.toString('latin1');
  }
  return undefined;
}

/** undici's handler API plus `onRequestSent`, which undici calls but does not declare. */
type AttemptHandler = Dispatcher.DispatchHandler & { onRequestSent(): void };

function createAttemptHandler(ex: Exchange, target: Target): AttemptHandler {
  const shared = ex.shared;
  let mode: Mode = 'waiting';
  let resume: (() => void) | undefined;
  let heldStatus = 0;
  let heldRaw: Buffer[] = [];
  let held: Buffer[] = [];
  let heldSize = 0;
  const onDrain = (): void => { resume?.(); };

  const commit = (status: number, raw: Buffer[]): boolean => {
    if (commitResponse(ex, target, status, raw)) { mode = 'streaming'; return true; }
    mode = 'settled';
    ex.abort?.(new Error('response headers refused'));
    const error = new DispatchError('HAD_ERR_UPSTREAM_ABORTED', `${shared.role}: invalid response headers from ${target.origin}`);
    shared.onFailure(ex, target, { kind: 'internal', error });
    return false;
  };
  const write = (chunk: Buffer): boolean => {
    if (ex.res.write(chunk)) return true;
    ex.res.once('drain', onDrain);
    return false;
  };
  const flushHeld = (): boolean => {
    if (!commit(heldStatus, heldRaw)) return false;
    let ok = true;
    for (const chunk of held) ok = ex.res.write(chunk);
    held = [];
    if (!ok) ex.res.once('drain', onDrain);
    return ok;
  };
  const standby = (location: string | undefined, unfinished: boolean): void => {
    mode = 'settled';
    if (unfinished) ex.abort?.(new Error('standby answer'));
    shared.onStandby(ex, target, heldStatus, location);
  };

  return {
    onConnect(abort) {
      ex.abort = abort;
      if (ex.clientGone) abort(clientGoneError());
    },
    onBodySent() { ex.requestSent = true; },
    onRequestSent() { ex.requestSent = true; },
    onHeaders(status, raw, resumeFn) {
      if (status < 200) return true; // 1xx: informational, not forwarded
      resume = resumeFn;
      const detector = shared.standby;
      if (detector !== undefined && detector.statuses.has(status) && shared.canFailOver(ex)) {
        heldStatus = status;
        heldRaw = raw;
        if (detector.needsBody) { mode = 'holding'; return true; }
        const location = rawHeader(raw, 'location');
        if (detector.isStandby(status, location, '')) { standby(location, true); return false; }
      }
      return commit(status, raw);
    },
    onData(chunk) {
      if (mode === 'streaming') return write(chunk);
      if (mode !== 'holding') return false;
      held.push(chunk);
      heldSize += chunk.length;
      if (heldSize <= STANDBY_BODY_LIMIT) return true;
      return flushHeld();
    },
    onComplete() {
      if (mode === 'holding') {
        const location = rawHeader(heldRaw, 'location');
        const body = Buffer.concat(held, heldSize).toString('latin1');
        if (shared.standby?.isStandby(heldStatus, location, body) === true) { standby(location, false); return; }
        if (!flushHeld()) return;
      }
      if (mode !== 'streaming') return;
      mode = 'settled';
      completeResponse(ex, target);
    },
    onError(err) {
      const was = mode;
      mode = 'settled';
      if (was === 'settled') return;
      if (was === 'streaming') { breakResponse(ex, target, err); return; }
      shared.onFailure(ex, target, mapUpstreamError(err, { requestSent: ex.requestSent }, {
        role: shared.role, backend: target.origin, attempt: ex.attempt + 1,
      }));
    },
  };
}
