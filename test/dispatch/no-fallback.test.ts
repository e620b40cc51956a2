import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { startBackend, closeBackends, type TestBackend } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';
import { call, backendOf, errorOf } from './http-client.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

type CookieCase = 'valid' | 'absent' | 'garbage' | 'stale';
type BackendState = 'up' | 'down' | 'hanging';

interface Case {
  readonly desc: string;
  readonly cookie: CookieCase;
  readonly b1: BackendState;
  /** Expected: the backend that answers, or the error code. */
  readonly expect: { backend: string } | { code: string; status: number };
}

const ok = (backend: string) => ({ backend });
const disabled = { code: 'HAD_ERR_FAILOVER_DISABLED', status: 502 };

const CASES: readonly Case[] = [
  { desc: 'valid cookie, its backend up: served there', cookie: 'valid', b1: 'up', expect: ok('b1') },
  { desc: 'valid cookie, its backend down: 502 failover disabled', cookie: 'valid', b1: 'down', expect: disabled },
  { desc: 'valid cookie, its backend hanging: 502 failover disabled', cookie: 'valid', b1: 'hanging', expect: disabled },
  { desc: 'no cookie, first pick up: served there', cookie: 'absent', b1: 'up', expect: ok('b1') },
  { desc: 'no cookie, first pick down: fails over (KNOX-2619)', cookie: 'absent', b1: 'down', expect: ok('b2') },
  { desc: 'no cookie, first pick hanging: fails over', cookie: 'absent', b1: 'hanging', expect: ok('b2') },
  { desc: 'garbage cookie, first pick up: ignored', cookie: 'garbage', b1: 'up', expect: ok('b1') },
  { desc: 'garbage cookie, first pick down: fails over', cookie: 'garbage', b1: 'down', expect: ok('b2') },
  { desc: 'stale cookie (backend gone), first pick down: fails over', cookie: 'stale', b1: 'down', expect: ok('b2') },
  { desc: 'stale cookie, first pick hanging: fails over', cookie: 'stale', b1: 'hanging', expect: ok('b2') },
];

function cookieFor(kind: CookieCase, b1: TestBackend): string | undefined {
  switch (kind) {
    case 'valid': return `KNOX_BACKEND-HIVE=${sha256(b1.url)}`;
    case 'absent': return undefined;
    case 'garbage': return 'KNOX_BACKEND-HIVE=not-a-hash';
    case 'stale': return `KNOX_BACKEND-HIVE=${sha256('http://gone.invalid:10001/cliservice')}`;
    default: throw new Error(kind satisfies never);
  }
}

describe('dispatch: noFallback matrix (LB + sticky + noFallback)', () => {
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  for (const c of CASES) {
    it(c.desc, async () => {
      const b1 = await startBackend('b1');
      const b2 = await startBackend('b2');
      const h = await startHarness({
        service: {
          name: 'HIVE', enableLoadBalancing: true, enableStickySession: true, noFallback: true,
          responseTimeout: 300, urls: [b1.url, b2.url],
        },
      });
      const cookie = cookieFor(c.cookie, b1);
      if (c.b1 === 'down') await b1.kill();
      if (c.b1 === 'hanging') b1.hang();
      const reply = await call(h.base, cookie === undefined ? {} : { headers: { cookie } });
      if ('backend' in c.expect) {
        expect(reply.status).to.equal(200);
        expect(backendOf(reply)).to.equal(c.expect.backend);
        if (c.cookie !== 'valid') expect(reply.headers['set-cookie']?.[0]).to.contain(`KNOX_BACKEND-HIVE=${sha256(c.expect.backend === 'b1' ? b1.url : b2.url)}`);
      } else {
        expect(reply.status).to.equal(c.expect.status);
        expect(errorOf(reply)).to.deep.equal({ code: c.expect.code, message: 'Service connection error, HA failover disabled' });
        expect(b2.requests).to.equal(0);
        expect(h.sleeps).to.deep.equal([]);
      }
    });
  }
});
