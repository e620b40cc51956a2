import { expect } from 'chai';
import cluster, { type Worker } from 'node:cluster';
import { fork, type ChildProcess } from 'node:child_process';
import { askWorker, WorkerGoneError } from '../../lib/admin/cluster-protocol.js';

// node:cluster's Worker class (what the primary holds per worker); @types/node does not declare it.
const WorkerClass = (cluster as unknown as { Worker: new (options: { id: number; process: ChildProcess }) => Worker }).Worker;

/** A real child process with an IPC channel, wrapped as the primary sees a cluster worker. */
async function childWorker(script: string): Promise<{ child: ChildProcess; worker: Worker }> {
  const child = fork('-e', [script], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const worker = new WorkerClass({ id: 4242, process: child });
  await new Promise((resolve) => child.once('spawn', resolve));
  return { child, worker };
}

describe('askWorker (serve --workers primary)', function () {
  this.timeout(10000);

  it('answers with what the worker sends back for the same request id', async () => {
    const { child, worker } = await childWorker(
      "process.on('message', (m) => process.send({ type: 'hadispatch:admin-res', id: m.id, result: { op: m.op } }))",
    );
    try {
      expect(await askWorker(worker, 'ready', undefined, 5000)).to.deep.equal({ op: 'ready' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('rejects a worker that does not answer in time with a timeout, not as gone (its request may still be applied)', async () => {
    const { child, worker } = await childWorker("process.on('message', () => {})");
    try {
      const outcome = await askWorker(worker, 'backends', undefined, 300).then(() => 'answered', (err: unknown) => err);
      expect(outcome).to.be.instanceOf(Error).and.not.to.be.instanceOf(WorkerGoneError);
      expect((outcome as Error).message).to.equal('worker 4242 did not answer backends within 300 ms');
    } finally {
      child.kill('SIGKILL');
    }
  });

  // Regression (CI): an admin call in the moment a worker was dying (its channel closed, its exit
  // not yet seen) made send() emit an 'error' event nobody handled, and the primary died with it.
  it('rejects, and leaves the primary alive, when the worker\'s channel closed before its exit was seen', async () => {
    const { child, worker } = await childWorker('setInterval(() => {}, 1000)');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('disconnect', resolve));
    expect(worker.isDead()).to.equal(false);
    let uncaught: unknown;
    const onUncaught = (err: unknown): void => { uncaught = err; };
    process.prependListener('uncaughtException', onUncaught);
    try {
      const outcome = await askWorker(worker, 'drain', { topology: 't', service: 'S', url: 'http://h:1' }, 5000).then(() => 'answered', (err: unknown) => err);
      // Told apart from a slow worker: the primary does not wait for it or keep the request for it.
      expect(outcome).to.be.instanceOf(WorkerGoneError);
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).to.equal(undefined);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
