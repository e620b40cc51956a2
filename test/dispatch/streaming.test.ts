import { expect } from 'chai';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { startBackend, closeBackends } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';

const SIZE = 100 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
/** A memory sanity check (client, gateway and backend share this process), not a timing assertion. */
const MAX_GROWTH = 64 * 1024 * 1024;

function chunks(total: number): Readable {
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) { this.push(null); return; }
      const n = Math.min(left, CHUNK.length);
      left -= n;
      this.push(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
    },
  });
}

/** Samples RSS while `work` runs; returns the peak growth over the starting value. */
async function peakGrowth(work: () => Promise<void>): Promise<number> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  try { await work(); } finally { clearInterval(timer); }
  return Math.max(peak, process.memoryUsage().rss) - start;
}

describe('dispatch: streamed bodies with flat memory', function () {
  this.timeout(60000);
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  it('streams a 100 MB upload to the backend', async () => {
    const b1 = await startBackend('b1', (req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => { size += c.length; });
      req.on('end', () => { res.end(String(size)); });
    });
    const h = await startHarness({ service: { name: 'WEBHDFS', urls: [b1.url] } });
    let answer = '';
    const growth = await peakGrowth(() => new Promise<void>((resolve, reject) => {
      const req = request(h.base, { method: 'PUT', agent: false, headers: { 'content-length': String(SIZE) } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (s: string) => { answer += s; });
        res.on('end', resolve);
      });
      req.on('error', reject);
      chunks(SIZE).pipe(req);
    }));
    expect(answer).to.equal(String(SIZE));
    expect(growth).to.be.below(MAX_GROWTH);
  });

  it('streams a 100 MB download to the client', async () => {
    const b1 = await startBackend('b1', (_req, res) => { res.writeHead(200, { 'content-length': String(SIZE) }); chunks(SIZE).pipe(res); });
    const h = await startHarness({ service: { name: 'WEBHDFS', urls: [b1.url] } });
    let received = 0;
    const growth = await peakGrowth(() => new Promise<void>((resolve, reject) => {
      const req = request(h.base, { agent: false }, (res) => {
        res.on('data', (c: Buffer) => { received += c.length; });
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    }));
    expect(received).to.equal(SIZE);
    expect(growth).to.be.below(MAX_GROWTH);
  });

  it('streams a chunked upload (no Content-Length) larger than the replay buffer', async () => {
    const b1 = await startBackend('b1', (req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => { size += c.length; });
      req.on('end', () => { res.end(String(size)); });
    });
    const h = await startHarness({ service: { name: 'WEBHDFS', replayBufferSize: 1000, urls: [b1.url] } });
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(h.base, { method: 'POST', agent: false }, (res) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { s += d; });
        res.on('end', () => { resolve(s); });
      });
      req.on('error', reject);
      chunks(5_000_000).pipe(req);
    });
    expect(answer).to.equal('5000000');
  });
});
