/**
 * Shared fixtures of the balancing unit tests (a *.test.ts file so it is never built into dist/):
 * snapshots, request facts, a seeded PRNG and a manual clock. Its own tests check the fixtures.
 */
import { expect } from 'chai';
import type { Snapshot } from '../core/index.js';
import { makeServiceConfig, type ServiceConfigInput } from '../descriptor/index.js';
import { createServiceBalancer } from './index.js';
import type { BalancerOptions, RequestFacts, ServiceBalancer } from './index.js';
import { seededRandom } from '../../test/helpers/seeded-random.js';

/** A frozen static snapshot of `urls`. */
export function snapshotOf(...urls: string[]): Snapshot {
  return Object.freeze({ backends: Object.freeze(urls.map((url) => Object.freeze({ url }))), origin: 'static', updatedAt: 0 });
}

/** `http://b1` … `http://bN`. */
export function backends(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `http://b${i + 1}`);
}

/** Request facts with defaults (no cookie, a browser UA, client 10.0.0.1). */
export function facts(over: Partial<RequestFacts> = {}): RequestFacts {
  return { cookieHeader: undefined, userAgent: 'Mozilla/5.0', clientIp: '10.0.0.1', affinityKey: undefined, ...over };
}

export { seededRandom };

/** A clock the test moves by hand. */
export interface ManualClock {
  (): number;
  advance(ms: number): void;
}

/** Creates a {@link ManualClock} at `start` ms. */
export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  const clock = (() => now) as ManualClock;
  clock.advance = (ms) => { now += ms; };
  return clock;
}

/** Service defaults for tests: HIVE, load balancing on. */
export function service(over: Partial<ServiceConfigInput> = {}): ReturnType<typeof makeServiceConfig> {
  return makeServiceConfig({ name: 'HIVE', enableLoadBalancing: true, ...over });
}

/** A balancer for `service(over)` with a seeded PRNG and a manual clock. */
export function balancerFor(
  over: Partial<ServiceConfigInput> = {}, options: Partial<Omit<BalancerOptions, 'service'>> = {},
): ServiceBalancer {
  return createServiceBalancer({
    service: service(over), cookiePath: '/gateway/sandbox', secure: false,
    clock: manualClock(), random: seededRandom(42), ...options,
  });
}

/** The `name=value` part of a Set-Cookie header, usable as a Cookie header. */
export function cookiePair(setCookie: string | undefined): string {
  if (setCookie === undefined) throw new Error('expected a Set-Cookie value');
  return setCookie.slice(0, setCookie.indexOf(';'));
}

/** The value of a Set-Cookie header. */
export function cookieValue(setCookie: string | undefined): string {
  const pair = cookiePair(setCookie);
  return pair.slice(pair.indexOf('=') + 1);
}

describe('balancing test kit', () => {
  it('gives the same PRNG sequence for the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).to.deep.equal([b(), b(), b()]);
  });

  it('moves the manual clock only when told', () => {
    const clock = manualClock(1000);
    clock.advance(500);
    expect(clock()).to.equal(1500);
  });
});
