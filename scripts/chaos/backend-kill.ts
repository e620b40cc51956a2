/**
 * Scenario 1: a backend SIGKILLed under GET load (no client-visible error), then another one killed
 * while POSTs are in flight: errors only for the POSTs that had reached it, each a clean 502, and no
 * POST executed twice.
 */
import { Cleanup } from './_lib/cleanup.js';
import { startBackendProcess, type BackendProcess } from './_lib/backend-procs.js';
import { startServe } from './_lib/gateway-procs.js';
import { startLoad, whenProgress, type Answer } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, whoamiXml, writeDescriptor } from './_lib/descriptors.js';
import { Verdict, total } from './_lib/verdict.js';
import type { Scenario } from './_lib/types.js';
import { debug } from './_lib/debug.js';

export const scenario: Scenario = {
  name: 'backend-kill',
  description: 'backend SIGKILLed under GET load, then another under POST load',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const dir = await c.tempDir('kill');
      const backends = await Promise.all(['b1', 'b2', 'b3'].map(async (name) => {
        const b = await startBackendProcess(name, { dir, getDelayMs: 2, postDelayMs: 40 });
        c.add(() => b.kill());
        return b;
      }));
      const [b1, b2] = backends as [BackendProcess, BackendProcess, BackendProcess];
      const descDir = await c.tempDir('kill-desc');
      await writeDescriptor(descDir, TOPOLOGY, whoamiXml(backends.map((b) => b.url)));
      debug('backends up');
      const gw = await startServe({ descriptorsDir: descDir });
      debug('gateway up');
      c.add(() => gw.kill());
      const url = gw.url + WHOAMI_PATH;

      // Phase A: GET load, b1 SIGKILLed at 30 %.
      const amountA = quick ? 3000 : 30000;
      const goneAfter = (victim: BackendProcess) => (a: Answer): void => {
        if (a.status === 502) debug('502', a.at - (victim.killedAt ?? 0), a.body);
        if (a.backend === victim.name && victim.killedAt !== undefined && a.at > victim.killedAt + 100) v.goneHits++;
      };
      const loadA = startLoad({ url, amount: amountA, connections: 20, onAnswer: goneAfter(b1) });
      await whenProgress(loadA, amountA * 0.3);
      const killA = Date.now();
      await b1.kill();
      const a = await loadA.done;
      debug('phase A done');
      v.sent += a.sent;
      v.addErrors(a.errors, 'GET ');
      v.check(total(a.errors) === 0, `GET load with b1 killed: client-visible errors ${JSON.stringify(a.errors)}`);
      v.check((a.byBackend['b2'] ?? 0) > 0 && (a.byBackend['b3'] ?? 0) > 0, 'GET load: b2 and b3 both answered');
      v.note(`GET: ${a.sent} sent, by backend ${JSON.stringify(a.byBackend)}`);
      v.recoverMs = a.lastErrorAt !== undefined ? a.lastErrorAt - killA : 0;

      // Phase B: POST load (plus a GET load beside it), b2 SIGKILLed at 30 %.
      const amountB = quick ? 1200 : 12000;
      const postLoad = startLoad({ url, amount: amountB, connections: 16, method: 'POST', body: 'x'.repeat(200), onAnswer: goneAfter(b2) });
      const getLoad = startLoad({ url, amount: amountB, connections: 4, onAnswer: goneAfter(b2) });
      await whenProgress(postLoad, amountB * 0.3);
      const killB = Date.now();
      const unread = await b2.kill();
      const [p, g] = await Promise.all([postLoad.done, getLoad.done]);
      debug('phase B done', p, g);
      v.sent += p.sent + g.sent;
      v.addErrors(p.errors, 'POST ');
      v.addErrors(g.errors, 'GET ');
      const log2 = await b2.log();
      const logs = await Promise.all(backends.map((b) => b.log()));
      const postsReceived = logs.reduce((n, l) => n + l.posts, 0);
      const inFlightAtKill = log2.posts - log2.postsAnswered + unread;
      const post502 = p.errors['HTTP 502'] ?? 0;
      const otherPostErrors = total(p.errors) - post502;
      v.check(total(g.errors) === 0, `GET beside POST with b2 killed: errors ${JSON.stringify(g.errors)}`);
      v.check(otherPostErrors === 0, `POST errors other than clean 502: ${JSON.stringify(p.errors)}`);
      v.check(post502 <= inFlightAtKill, `POST 502s (${post502}) exceed the requests in flight at b2 when it died (${inFlightAtKill})`);
      v.check(postsReceived <= p.sent, `POSTs executed twice: backends received ${postsReceived} POSTs for ${p.sent} sent`);
      v.note(`POST: ${p.sent} sent, ${post502} × 502, ${inFlightAtKill} requests in flight at b2 when killed (${unread} of them delivered but not yet read), backends received ${postsReceived}`);
      if (p.lastErrorAt !== undefined) v.note(`POST errors ended ${p.lastErrorAt - killB} ms after the kill`);
      v.note(`b3 answered ${(p.byBackend['b3'] ?? 0) + (g.byBackend['b3'] ?? 0)} in phase B`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
