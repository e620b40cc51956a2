/** ZooKeeper helpers for the scenarios (the server and client helpers come from test/). */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startZkServer, type ZkServer } from '../../../test/helpers/zk-server.js';
import { adminClient, put } from '../../../test/discovery/zk-test-kit.js';
import { answerName, startBackend, type TestBackend } from '../../../test/helpers/backends.js';
import type { Gateway } from '../../../lib/gateway/index.js';
import type { Cleanup } from './cleanup.js';

export { startZkServer, adminClient, put, type ZkServer };

/**
 * A scenario's own ZooKeeper: a fresh server (destroyed by `c`), a random namespace for its znodes
 * and an admin client. The caller closes the admin client when it is done with it.
 */
export async function startScenarioZk(c: Cleanup): Promise<{ zk: ZkServer; ns: string; admin: Awaited<ReturnType<typeof adminClient>> }> {
  const zk = await startZkServer();
  c.add(() => zk.destroy());
  const ns = `chaos${randomBytes(4).toString('hex')}`;
  const admin = await adminClient(zk.connectString);
  return { zk, ns, admin };
}

/** A backend that remembers when each request arrived (for "reached a gone backend"). */
export interface TimedBackend {
  readonly backend: TestBackend;
  readonly arrivals: number[];
  /** Requests that arrived after `t`. */
  after(t: number): number;
}

export async function startTimedBackend(name: string, c: Cleanup): Promise<TimedBackend> {
  const arrivals: number[] = [];
  const backend = await startBackend(name, (req: IncomingMessage, res: ServerResponse, b: TestBackend) => { arrivals.push(Date.now()); answerName(req, res, b); });
  c.add(() => backend.close());
  return { backend, arrivals, after: (t) => arrivals.filter((a) => a > t).length };
}

/** The URLs an in-process gateway routes WHOAMI on right now. */
export function routedUrls(gw: Gateway): string[] {
  const svc = gw.view.services().find((s) => s.service.name === 'WHOAMI');
  return svc?.snapshot()?.backends.map((b) => b.url) ?? [];
}

/** The ZooKeeper session of an in-process gateway (first ensemble). */
export function sessionOf(gw: Gateway): { state: string; sessionId: unknown; reconnects: unknown } {
  const s = gw.view.sessions()[0];
  return { state: s?.state ?? 'none', sessionId: s?.['sessionId'], reconnects: s?.['reconnects'] };
}

/** Polls `check` every 5 ms until true; resolves with the time it became true, or undefined after `timeoutMs`. */
export async function whenTrue(check: () => boolean, timeoutMs: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return Date.now();
    await new Promise((r) => { setTimeout(r, 5); });
  }
  return check() ? Date.now() : undefined;
}
