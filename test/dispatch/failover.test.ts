import { expect } from 'chai';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { startBackend, closeBackends, refusedUrl } from '../helpers/backends.js';
import { startHarness, closeHarnesses } from '../helpers/dispatch-harness.js';
import { eventually } from '../helpers/eventually.js';
import { call, backendOf, errorOf } from './http-client.js';

/** Reads the whole request, then drops the connection without answering. */
function readThenDrop(req: IncomingMessage): void {
  req.resume();
  req.on('end', () => { req.socket.destroy(); });
}

/** Answers with the received body's size. */
function echoSize(name: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; });
    req.on('end', () => { res.writeHead(200, { 'x-backend': name }); res.end(String(size)); });
  };
}

describe('dispatch: failover rules', () => {
  afterEach(async () => { await closeHarnesses(); await closeBackends(); });

  it('blames the client, not the backend, when a streamed upload breaks off with bad chunk framing (regression: backend cooled down)', async () => {
    const b1 = await startBackend('b1', echoSize('b1'));
    const b2 = await startBackend('b2', echoSize('b2'));
    const h = await startHarness({ service: { name: 'HIVE', replayBufferSize: 1024, urls: [b1.url, b2.url] } });
    const socket = connect(h.port, '127.0.0.1');
    socket.on('error', () => undefined);
    let closed = false;
    let reply = '';
    socket.on('data', (d: Buffer) => { reply += d.toString('latin1'); });
    socket.on('close', () => { closed = true; });
    socket.write('POST /gateway/sandbox/hive/x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n');
    socket.write(`1000\r\n${'a'.repeat(4096)}\r\n`);
    await eventually(() => { expect(b1.requests).to.equal(1); });
    socket.write('zz-not-hex\r\n');
    await eventually(() => { expect(closed).to.equal(true); });
    expect(reply).to.match(/^HTTP\/1\.1 400 /);
    await eventually(() => { expect(h.dispatcher.inFlight()).to.equal(0); });
    // b1 is still the active backend: no cool-down, no failover.
    const after = [backendOf(await call(h.base)), backendOf(await call(h.base))];
    expect(after).to.deep.equal(['b1', 'b1']);
    expect(h.sleeps).to.deep.equal([]);
    expect(b2.requests).to.equal(0);
  });

  it('retries a POST whose connection was refused (connection errors retry every method)', async () => {
    const b2 = await startBackend('b2', echoSize('b2'));
    const h = await startHarness({ service: { name: 'HIVE', urls: [await refusedUrl(), b2.url] } });
    const reply = await call(h.base, { method: 'POST', body: 'x'.repeat(1000) });
    expect(backendOf(reply)).to.equal('b2');
    expect(reply.body).to.equal('1000');
  });

  it('retries a POST with a body above replayBufferSize when the connection was refused', async () => {
    const b2 = await startBackend('b2', echoSize('b2'));
    const h = await startHarness({ service: { name: 'HIVE', replayBufferSize: 1024, urls: [await refusedUrl(), b2.url] } });
    const reply = await call(h.base, { method: 'POST', body: Buffer.alloc(300_000, 1) });
    expect(backendOf(reply)).to.equal('b2');
    expect(reply.body).to.equal('300000');
  });

  const postCases = [
    { desc: 'flag off, small body: 502 non-idempotent, no retry', flag: false, size: 1000, expect: 'HAD_ERR_NON_IDEMPOTENT' },
    { desc: 'flag on, small body: replayed on the next backend', flag: true, size: 1000, expect: 'b2' },
    { desc: 'flag on, body above replayBufferSize: not replayable, 502', flag: true, size: 200_000, expect: 'HAD_ERR_UPSTREAM_ABORTED' },
    { desc: 'flag off, body above replayBufferSize: 502 non-idempotent', flag: false, size: 200_000, expect: 'HAD_ERR_NON_IDEMPOTENT' },
  ] as const;
  for (const c of postCases) {
    it(`POST to a backend that drops the connection mid-request — ${c.desc}`, async () => {
      const b1 = await startBackend('b1', readThenDrop);
      const b2 = await startBackend('b2', echoSize('b2'));
      const h = await startHarness({
        service: { name: 'HIVE', failoverNonIdempotentRequestEnabled: c.flag, replayBufferSize: 65536, urls: [b1.url, b2.url] },
      });
      const reply = await call(h.base, { method: 'POST', body: Buffer.alloc(c.size, 7) });
      if (c.expect === 'b2') {
        expect(backendOf(reply)).to.equal('b2');
        expect(reply.body).to.equal(String(c.size));
      } else {
        expect(reply.status).to.equal(502);
        expect(errorOf(reply).code).to.equal(c.expect);
        expect(b2.requests).to.equal(0);
      }
    });
  }

  it('retries a GET whose backend drops the connection', async () => {
    const b1 = await startBackend('b1', readThenDrop);
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url, b2.url] } });
    expect(backendOf(await call(h.base))).to.equal('b2');
  });

  it('fails a GET over on a response timeout, but answers 504 to a POST', async () => {
    const b1 = await startBackend('b1');
    const b2 = await startBackend('b2', echoSize('b2'));
    b1.hang();
    const h = await startHarness({ service: { name: 'HIVE', responseTimeout: 200, urls: [b1.url, b2.url] } });
    expect(backendOf(await call(h.base))).to.equal('b2');
    const h2 = await startHarness({ service: { name: 'HIVE', responseTimeout: 200, urls: [b1.url, b2.url] } });
    const before = b2.requests;
    const post = await call(h2.base, { method: 'POST', body: 'abc' });
    expect(post.status).to.equal(504);
    expect(errorOf(post).code).to.equal('HAD_ERR_UPSTREAM_TIMEOUT');
    expect(b2.requests).to.equal(before);
  });

  it('answers 504 when every attempt timed out', async () => {
    const b1 = await startBackend('b1');
    b1.hang();
    const h = await startHarness({ service: { name: 'HIVE', responseTimeout: 100, maxFailoverAttempts: 1, urls: [b1.url] } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(504);
    expect(b1.requests).to.equal(2);
  });

  it('does not retry with maxFailoverAttempts=0', async () => {
    const b1 = await startBackend('b1', readThenDrop);
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'HIVE', maxFailoverAttempts: 0, urls: [b1.url, b2.url] } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(502);
    expect(errorOf(reply).code).to.equal('HAD_ERR_UPSTREAM_ABORTED');
    expect(b2.requests).to.equal(0);
    expect(h.sleeps).to.deep.equal([]);
    // the failed backend was still marked failed (KNOX-2478): the next request goes to b2
    expect(backendOf(await call(h.base))).to.equal('b2');
  });

  it('makes at most 1 + maxFailoverAttempts attempts, sleeping failoverSleep ms before each retry', async () => {
    const bs = await Promise.all(['b1', 'b2', 'b3', 'b4'].map((n) => startBackend(n, readThenDrop)));
    const h = await startHarness({ service: { name: 'HIVE', maxFailoverAttempts: 2, failoverSleep: 250, urls: bs.map((b) => b.url) } });
    const reply = await call(h.base);
    expect(reply.status).to.equal(502);
    expect(bs.map((b) => b.requests)).to.deep.equal([1, 1, 1, 0]);
    expect(h.sleeps).to.deep.equal([250, 250]);
  });

  it('never retries once response headers were sent: the client sees a broken response', async () => {
    const b1 = await startBackend('b1', (_req, res) => {
      res.writeHead(200, { 'x-backend': 'b1', 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => { res.socket?.destroy(); }, 20);
    });
    const b2 = await startBackend('b2');
    const h = await startHarness({ service: { name: 'HIVE', urls: [b1.url, b2.url] } });
    let failed = false;
    try { await call(h.base); } catch { failed = true; }
    expect(failed).to.equal(true);
    expect(b2.requests).to.equal(0);
  });
});
