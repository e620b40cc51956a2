/**
 * Scenario 7: 100 descriptor reloads (file rewrites plus SIGHUP) under load, a third of them with
 * broken files that name a poison backend: no request fails because of a reload, the poison backend
 * never gets a request, and the last valid file is what the gateway serves afterwards.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Cleanup } from './_lib/cleanup.js';
import { startServe } from './_lib/gateway-procs.js';
import { startLoad } from './_lib/load.js';
import { TOPOLOGY, WHOAMI_PATH, whoamiXml, writeDescriptor } from './_lib/descriptors.js';
import { hold } from './_lib/procs.js';
import { Verdict, total } from './_lib/verdict.js';
import { startBackend } from '../../test/helpers/backends.js';
import { eventually } from '../../test/helpers/eventually.js';
import type { Scenario } from './_lib/types.js';
import { debug } from './_lib/debug.js';

/** Broken descriptors, each of which would route to `poison` if it ever took effect. */
export function brokenDescriptors(poison: string, good: string): readonly string[] {
  const valid = whoamiXml([poison, good]);
  return [
    valid.slice(0, Math.floor(valid.length / 2)),
    whoamiXml([poison], { maxFailoverAttempts: 'three' }),
    whoamiXml([poison], { enableLoadBalancing: 'yes' }),
    `<?xml version="1.0"?>\n<!DOCTYPE ha [<!ENTITY p "${poison}">]>\n<ha><service name="WHOAMI" enableLoadBalancing="true"><url>&p;</url></service></ha>\n`,
    `<?xml version="1.0"?>\n<!DOCTYPE ha [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<ha><service name="WHOAMI"><url>${poison}</url><url>&x;</url></service></ha>\n`,
    valid.replace('<ha>', '<hax>').replace('</ha>', '</hax>'),
    '',
    valid.replace('</ha>', ''),
    whoamiXml([poison], { failoverSleep: '-1' }),
    whoamiXml([`${poison}/x"><url>${poison}`]),
  ];
}

export const scenario: Scenario = {
  name: 'reload-storm',
  description: '100 descriptor reloads under load, a third of them broken',
  async run({ quick }) {
    const v = new Verdict(this.name);
    const c = new Cleanup();
    try {
      const bs = await Promise.all(['b1', 'b2', 'b3', 'poison'].map((n) => startBackend(n)));
      for (const b of bs) c.add(() => b.close());
      const [b1, b2, b3, poison] = bs as [typeof bs[0], typeof bs[0], typeof bs[0], typeof bs[0]];
      const variants = [[b1, b2], [b2, b3], [b1, b3], [b1, b2, b3]];
      const broken = brokenDescriptors(poison.url, b1.url);
      const dir = await c.tempDir('reload');
      await writeDescriptor(dir, TOPOLOGY, whoamiXml([b1.url, b2.url]));
      const gw = await startServe({ descriptorsDir: dir });
      c.add(() => gw.kill());
      const url = gw.url + WHOAMI_PATH;

      const load = startLoad({ url, amount: quick ? 100000 : 400000, connections: 16, maxMs: 120000 });
      const reloads = 100;
      let brokenWritten = 0;
      let last = variants[0] ?? [];
      for (let i = 0; i < reloads; i++) {
        if (i % 3 === 2) {
          await writeFile(join(dir, `${TOPOLOGY}.xml`), broken[brokenWritten++ % broken.length] ?? '');
        } else {
          last = variants[i % variants.length] ?? [];
          await writeDescriptor(dir, TOPOLOGY, whoamiXml(last.map((b) => b.url)));
        }
        gw.hup();
        await hold(quick ? 25 : 100);
      }
      const expected = new Set(last.map((b) => b.name));
      const settledAt = Date.now();
      const servesLast = (): Promise<void> => eventually(async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 12; i++) {
          const r = await fetch(url);
          await r.arrayBuffer();
          seen.add(r.headers.get('x-backend') ?? `status ${r.status}`);
        }
        if ([...seen].some((n) => !expected.has(n)) || seen.size !== expected.size) throw new Error(`serving ${[...seen].join(',')}`);
      }, 10000, 50);
      await servesLast().catch((err: unknown) => v.check(false, `after the storm the last valid list (${[...expected].join(', ')}) is not served: ${String(err)}`));
      v.recoverMs = Date.now() - settledAt;
      debug('backends', await (await fetch(`${gw.adminUrl}/backends`)).text());
      // A broken file written now must leave that list in force.
      await writeFile(join(dir, `${TOPOLOGY}.xml`), broken[0] ?? '');
      gw.hup();
      await eventually(async () => {
        const body = await (await fetch(`${gw.adminUrl}/backends`)).json() as { failures?: unknown[] };
        if ((body.failures ?? []).length === 0) throw new Error('the broken file has not been read yet');
      }, 10000, 50).catch((err: unknown) => v.check(false, `admin /backends never reported the broken file: ${String(err)}`));
      await servesLast().catch((err: unknown) => v.check(false, `a broken file replaced the list in force (${[...expected].join(', ')}): ${String(err)}`));
      load.stop();
      const f = await load.done;
      // After settling: a short load must reach only the final list.
      const after = startLoad({ url, amount: 300, connections: 8 });
      const a = await after.done;
      v.goneHits = Object.entries(a.byBackend).filter(([n]) => !expected.has(n)).reduce((s, [, n]) => s + n, 0);
      v.sent += f.sent + a.sent;
      const lost = f.errors['lost'] ?? 0;
      // Stopping the load mid-flight leaves up to `connections` requests unanswered; those are not reload failures.
      const failures = total(f.errors) - lost + Math.max(0, lost - 16);
      v.addErrors({ ...f.errors, lost: Math.max(0, lost - 16) });
      v.addErrors(a.errors, 'after: ');
      v.check(failures === 0, `requests failed during the storm: ${JSON.stringify(f.errors)}`);
      v.check(total(a.errors) === 0, `requests failed after the storm: ${JSON.stringify(a.errors)}`);
      v.check(poison.requests === 0, `the poison backend of a broken file got ${poison.requests} requests`);
      v.check(v.goneHits === 0, `after the storm ${v.goneHits} requests reached backends no longer listed`);
      v.note(`${reloads + 1} reloads (${brokenWritten + 1} broken: truncated, bad integer/boolean, XXE entities, wrong root, empty, injected <url>); poison hits ${poison.requests}; by backend ${JSON.stringify(f.byBackend)}`);
    } catch (err) {
      v.crash(err);
    } finally {
      await c.run();
    }
    return v.result();
  },
};
