/**
 * Scenario 10: two gateway processes with the same descriptors and --sticky-key-file behind one
 * client pool: each session's signed sticky cookie is honoured by both; a forged (plain Knox hash)
 * cookie by neither; one gateway SIGKILLed, and the clients that move to the other keep their backend.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Cleanup } from './_lib/cleanup.js';
import { startServe, type ServeProcess } from './_lib/gateway-procs.js';
import { startLoad } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, whoamiXml, writeDescriptor } from './_lib/descriptors.js';
import { Verdict, total } from './_lib/verdict.js';
import { startBackend } from '../../test/helpers/backends.js';
import type { Scenario } from './_lib/types.js';

const COOKIE = 'KNOX_BACKEND-WHOAMI';

interface Session { cookie: string | undefined; backend: string | undefined; moved: number; switchedGateway: boolean }

export const scenario: Scenario = {
  name: 'two-gateways',
  description: 'two gateways, one client pool, sticky signed cookies; one gateway killed',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const bs = await Promise.all(['b1', 'b2', 'b3'].map((n) => startBackend(n)));
      for (const b of bs) c.add(() => b.close());
      const dir = await c.tempDir('two-desc');
      const keyDir = await c.tempDir('two-key');
      const keyFile = join(keyDir, 'sticky.keys');
      await writeFile(keyFile, '# chaos\nchaos-two-gateways-key-0123456789\n');
      await writeDescriptor(dir, TOPOLOGY, whoamiXml(bs.map((b) => b.url), { enableStickySession: true }));
      const [ga, gb] = await Promise.all([startServe({ descriptorsDir: dir, stickyKeyFile: keyFile }), startServe({ descriptorsDir: dir, stickyKeyFile: keyFile })]) as [ServeProcess, ServeProcess];
      c.add(() => ga.kill());
      c.add(() => gb.kill());

      const sessions: Session[] = Array.from({ length: quick ? 40 : 200 }, () => ({ cookie: undefined, backend: undefined, moved: 0, switchedGateway: false }));
      let requests = 0;
      const errors: Record<string, number> = {};
      const send = async (s: Session, gw: ServeProcess): Promise<Response> => {
        requests++;
        const r = await fetch(gw.url + WHOAMI_PATH, { headers: s.cookie ? { cookie: `${COOKIE}=${s.cookie}` } : {}, signal: AbortSignal.timeout(5000) });
        await r.arrayBuffer();
        return r;
      };
      const observe = (s: Session, r: Response): void => {
        if (r.status !== 200) { errors[`HTTP ${r.status}`] = (errors[`HTTP ${r.status}`] ?? 0) + 1; return; }
        const backend = r.headers.get('x-backend') ?? undefined;
        const set = /KNOX_BACKEND-WHOAMI=([^;]*)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
        if (s.backend !== undefined && backend !== s.backend) s.moved++;
        s.backend = backend;
        if (set !== undefined) s.cookie = set;
      };
      // Background load on both gateways (no cookies).
      const bgA = startLoad({ url: ga.url + WHOAMI_PATH, amount: quick ? 3000 : 30000, connections: 4 });
      const bgB = startLoad({ url: gb.url + WHOAMI_PATH, amount: quick ? 3000 : 30000, connections: 4 });
      const gws = [ga, gb];
      const rounds = quick ? 5 : 20;
      for (let round = 0; round < rounds; round++) {
        await Promise.all(sessions.map(async (s, i) => observe(s, await send(s, gws[(i + round) % 2] ?? ga))));
      }
      const movedBefore = sessions.reduce((n, s) => n + s.moved, 0);
      v.check(movedBefore === 0, `${movedBefore} sticky sessions changed backend while alternating between healthy gateways`);
      v.check(sessions.every((s) => s.cookie !== undefined && /^[0-9a-f]{64}$/.test(s.cookie)), 'every session got a signed sticky cookie');

      // A forged cookie (the plain Knox hash anyone can compute) is ignored by both gateways.
      let forgedHonoured = 0;
      for (const gw of gws) {
        for (const b of bs) {
          const forged: Session = { cookie: createHash('sha256').update(b.url).digest('hex'), backend: undefined, moved: 0, switchedGateway: false };
          const r = await send(forged, gw);
          if (!r.headers.get('set-cookie')?.includes(`${COOKIE}=`)) forgedHonoured++;
        }
      }
      v.check(forgedHonoured === 0, `${forgedHonoured} forged plain-hash cookies were honoured`);

      // Kill gateway A; the pool moves its clients to B.
      const killedAt = Date.now();
      await ga.kill();
      let firstMovedOk: number | undefined;
      let connectFailures = 0;
      for (let round = 0; round < rounds; round++) {
        await Promise.all(sessions.map(async (s, i) => {
          const preferred = gws[(i + round) % 2] ?? ga;
          let r: Response;
          try {
            r = await send(s, preferred);
          } catch {
            connectFailures++;
            s.switchedGateway = true;
            r = await send(s, gb);
            if (r.status === 200) firstMovedOk ??= Date.now();
          }
          observe(s, r);
        }));
      }
      const [fa, fb] = await Promise.all([bgA.done, bgB.done]);
      const movedAfter = sessions.reduce((n, s) => n + s.moved, 0) - movedBefore;
      v.sent += requests + fa.sent + fb.sent;
      v.addErrors(errors);
      // Load that was aimed at the killed gateway cannot be answered by it; only B's load counts.
      v.addErrors(fb.errors, 'background B: ');
      v.check(total(errors) === 0, `session requests failed: ${JSON.stringify(errors)}`);
      v.check(total(fb.errors) === 0, `background load on the surviving gateway failed: ${JSON.stringify(fb.errors)}`);
      v.check(movedAfter === 0, `${movedAfter} sessions changed backend after moving to the surviving gateway`);
      v.check(sessions.some((s) => s.switchedGateway), 'no client had to move (the kill was not exercised)');
      v.recoverMs = firstMovedOk !== undefined ? firstMovedOk - killedAt : undefined;
      v.note(`${sessions.length} sessions × ${rounds * 2} rounds; ${connectFailures} connection failures to the killed gateway, each retried on the other; by backend ${JSON.stringify(Object.fromEntries(bs.map((b) => [b.name, sessions.filter((s) => s.backend === b.name).length])))}; background load on the killed gateway: ${JSON.stringify(fa.errors)}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
