/**
 * Scenario 2: a backend that accepts requests and never answers, under mixed GET and POST load:
 * response timeouts fail over for GET (no client-visible error); every POST that reached the hung
 * backend gets a clean 504 and nothing else fails.
 */
import type { IncomingMessage } from 'node:http';
import { Cleanup } from './_lib/cleanup.js';
import { startServe } from './_lib/gateway-procs.js';
import { startLoad, whenProgress } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, whoamiXml, writeDescriptor } from './_lib/descriptors.js';
import { Verdict, total } from './_lib/verdict.js';
import { startBackend } from '../../test/helpers/backends.js';
import type { Scenario } from './_lib/types.js';

export const scenario: Scenario = {
  name: 'backend-hang',
  description: 'backend accepts and never answers: GET fails over, POST gets 504',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const [b1, b2, b3] = await Promise.all(['b1', 'b2', 'b3'].map((n) => startBackend(n)));
      for (const b of [b1, b2, b3]) c.add(() => b?.close());
      if (!b1 || !b2 || !b3) throw new Error('backends did not start');
      const responseTimeout = quick ? 500 : 2000;
      const dir = await c.tempDir('hang');
      await writeDescriptor(dir, TOPOLOGY, whoamiXml([b1.url, b2.url, b3.url], { responseTimeout }));
      const gw = await startServe({ descriptorsDir: dir });
      c.add(() => gw.kill());
      const url = gw.url + WHOAMI_PATH;

      const amount = quick ? 1500 : 15000;
      const post = startLoad({ url, amount, connections: 10, method: 'POST', body: 'y'.repeat(100), timeoutS: 10 });
      const get = startLoad({ url, amount, connections: 10, timeoutS: 10 });
      await whenProgress(get, amount * 0.3);
      const hungSince = Date.now();
      const hung = { GET: 0, POST: 0 } as Record<string, number>;
      b1.setHandler((req: IncomingMessage) => { hung[req.method ?? '?'] = (hung[req.method ?? '?'] ?? 0) + 1; });
      // Requests already waiting for the default answer are answered; every new one hangs.
      const [p, g] = await Promise.all([post.done, get.done]);
      v.sent += p.sent + g.sent;
      v.addErrors(p.errors, 'POST ');
      v.addErrors(g.errors, 'GET ');
      const post504 = p.errors['HTTP 504'] ?? 0;
      v.check(total(g.errors) === 0, `GET with a hung backend: errors ${JSON.stringify(g.errors)}`);
      v.check(total(p.errors) === post504, `POST errors other than clean 504: ${JSON.stringify(p.errors)}`);
      v.check(post504 === (hung['POST'] ?? 0), `POST 504s (${post504}) differ from the POSTs the hung backend received (${hung['POST'] ?? 0})`);
      v.check((hung['GET'] ?? 0) > 0 || (hung['POST'] ?? 0) > 0, 'the hung backend received requests (the fault was exercised)');
      v.recoverMs = p.lastErrorAt !== undefined ? p.lastErrorAt - hungSince : 0;
      v.note(`hung backend received ${hung['GET'] ?? 0} GET (all failed over) and ${hung['POST'] ?? 0} POST; responseTimeout ${responseTimeout} ms`);
      v.note(`by backend: GET ${JSON.stringify(g.byBackend)}, POST ${JSON.stringify(p.byBackend)}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
