import { expect } from 'chai';
import Transport from 'winston-transport';
import { addLogTransport, childLogger } from '../core/index.js';
import { registrationFor } from './formats/registration.js';
import { resolveOptions } from './options.js';
import type { ZkClient } from './zookeeper-client.js';
import { ZkCallError } from './zookeeper-errors.js';
import { createNodeKeeper } from './zookeeper-registration.js';

/** A connected client whose calls wait until the test settles them (a call in flight on demand). */
function stalledClient(): { client: ZkClient; calls: string[]; failAll(err: Error): void } {
  const calls: string[] = [];
  const waiting: ((err: Error) => void)[] = [];
  const stall = (op: string) => (): Promise<never> => {
    calls.push(op);
    return new Promise((_resolve, reject) => { waiting.push(reject); });
  };
  const client = {
    sessionId: () => '1234',
    exists: stall('exists'), mkdirp: stall('mkdirp'), create: stall('create'), remove: stall('remove'),
  } as unknown as ZkClient;
  return { client, calls, failAll: (err) => { for (const reject of waiting.splice(0)) reject(err); } };
}

describe('discovery: registration znode keeper', () => {
  // Regression: close() during an attempt made that attempt fail, and its catch scheduled a retry
  // after close had resolved; `hadispatch register` then hung after SIGTERM for up to the back-off.
  it('schedules no retry for an attempt that fails because close() ran meanwhile', async () => {
    const warnings: unknown[] = [];
    const detach = addLogTransport(new (class extends Transport {
      override log(info: Record<string, unknown>, next: () => void): void {
        if (info['level'] === 'warn') warnings.push(info['message']);
        next();
      }
    })());
    try {
      const zk = stalledClient();
      const node = registrationFor({ format: 'url', namespace: 'ns', url: 'http://me:1', data: undefined });
      const keeper = createNodeKeeper(node, resolveOptions({ backoff: { baseMs: 1, maxMs: 1 } }), childLogger('test'), () => zk.client, () => undefined);
      keeper.ensure(zk.client);
      expect(zk.calls).to.deep.equal(['mkdirp']);
      await keeper.close(undefined);
      zk.failAll(new ZkCallError('connection-loss', 'mkdirp /ns: client closed'));
      await new Promise<void>((resolve) => { setImmediate(resolve); });
      expect(warnings).to.deep.equal([]);
      expect(zk.calls).to.deep.equal(['mkdirp']);
    } finally {
      detach();
    }
  });
});
