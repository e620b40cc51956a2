/**
 * lib/http1 on its own (no gateway): what the HTTP/1.1 server adds to a handler's answer, and the
 * cases the gateway-level wire tests (test/gateway/http-protocol.test.ts) do not reach. Real
 * server on 127.0.0.1:0, raw TCP clients.
 */
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createHttp1Server, type Http1Handler, type Http1Server } from '../../lib/http1/index.js';
import { eventually } from '../helpers/eventually.js';

const servers: Http1Server[] = [];

async function startServer(handler: Http1Handler, overrides: { keepAliveTimeoutMs?: number; headersTimeoutMs?: number; sendTimeoutMs?: number } = {}): Promise<number> {
  const server = createHttp1Server({
    maxHeaderSize: 16384, maxHeadersCount: 100, headersTimeoutMs: overrides.headersTimeoutMs ?? 5000, requestTimeoutMs: 10000,
    keepAliveTimeoutMs: overrides.keepAliveTimeoutMs ?? 5000, sendTimeoutMs: overrides.sendTimeoutMs ?? 60000, tls: undefined,
    refusal: (status, reason) => `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
  }, handler);
  servers.push(server);
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  return (server.address() as AddressInfo).port;
}

/** A raw connection that accumulates everything it receives. */
interface Raw {
  readonly socket: Socket;
  text(): string;
  closed(): boolean;
}

async function open(port: number): Promise<Raw> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let received = '';
  let isClosed = false;
  socket.on('data', (d: Buffer) => { received += d.toString('latin1'); });
  socket.on('close', () => { isClosed = true; });
  socket.on('error', () => undefined);
  return { socket, text: () => received, closed: () => isClosed };
}

function count(text: string, pattern: RegExp): number {
  return (text.match(pattern) ?? []).length;
}

const hello: Http1Handler = (req, res) => {
  res.writeHead(200, ['content-type', 'text/plain', 'content-length', String(req.url.length)]);
  res.end(Buffer.from(req.url));
};

describe('http1 server', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
  });

  it('adds Date when the handler gave none, keeps the handler\'s own, and sends keep-alive hints', async () => {
    const port = await startServer((req, res) => {
      const headers = req.url === '/dated' ? ['date', 'Tue, 01 Jan 2030 00:00:00 GMT', 'content-length', '0'] : ['content-length', '0'];
      res.writeHead(204, headers);
      res.end();
    });
    const c = await open(port);
    c.socket.write('GET /plain HTTP/1.1\r\nHost: x\r\n\r\nGET /dated HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(count(c.text(), /HTTP\/1\.1 204/g)).to.equal(2); }, 2000);
    const [first, second] = c.text().split('HTTP/1.1 204 No Content\r\n').slice(1) as [string, string];
    expect(first).to.match(/^date: \w{3}, \d\d \w{3} \d{4} /m);
    expect(second.match(/^date: /gm)).to.have.length(1);
    expect(second).to.include('date: Tue, 01 Jan 2030 00:00:00 GMT');
    expect(first).to.include('connection: keep-alive\r\nkeep-alive: timeout=5\r\n');
    c.socket.destroy();
  });

  it('refuses a header value with CR/LF in writeHead (nothing written), and the handler can still answer', async () => {
    let refused: unknown;
    const port = await startServer((_req, res) => {
      try {
        res.writeHead(200, ['x-evil', 'a\r\nset-cookie: stolen=1', 'content-length', '0']);
      } catch (err) {
        refused = (err as { code?: string }).code;
      }
      res.writeHead(502, ['content-length', '0']);
      res.end();
    });
    const c = await open(port);
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(c.text()).to.include('HTTP/1.1 502'); }, 2000);
    expect(refused).to.equal('ERR_INVALID_CHAR');
    expect(c.text()).not.to.include('stolen');
    c.socket.destroy();
  });

  it('sends connection: keep-alive to an HTTP/1.0 client that asked for it, and serves its next request', async () => {
    const port = await startServer(hello);
    const c = await open(port);
    c.socket.write('GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await eventually(() => { expect(c.text()).to.include('/one'); }, 2000);
    expect(c.text()).to.include('connection: keep-alive\r\n');
    c.socket.write('GET /two HTTP/1.0\r\n\r\n');
    await eventually(() => { expect(c.closed()).to.equal(true); }, 2000);
    expect(c.text()).to.include('/two');
    expect(count(c.text(), /connection: close/g)).to.equal(1);
  });

  it('answers 40 pipelined requests in order (the queue pauses reading and resumes)', async () => {
    const port = await startServer((req, res) => {
      // Answer out of order in time: later requests would finish first if not queued.
      setTimeout(() => { hello(req, res); }, req.url === '/0' ? 30 : 0);
    });
    const c = await open(port);
    c.socket.write(Array.from({ length: 40 }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
    await eventually(() => { expect(count(c.text(), /HTTP\/1\.1 200/g)).to.equal(40); }, 3000);
    const order = [...c.text().matchAll(/\r\n\r\n(\/\d+)/g)].map((m) => m[1]);
    expect(order).to.deep.equal(Array.from({ length: 40 }, (_, i) => `/${i}`));
    c.socket.destroy();
  });

  it('reads and drops the rest of a body answered early, then serves the next request on the connection', async () => {
    const port = await startServer((req, res) => {
      if (req.url === '/early') { res.writeHead(413, ['content-length', '0']); res.end(); return; }
      hello(req, res);
    });
    const c = await open(port);
    c.socket.write('POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n' + 'a'.repeat(5000));
    await eventually(() => { expect(c.text()).to.include('HTTP/1.1 413'); }, 2000);
    c.socket.write('b'.repeat(15000) + 'GET /after HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(c.text()).to.include('/after'); }, 2000);
    expect(c.closed()).to.equal(false);
    c.socket.destroy();
  });

  it('hands the body over as a stream that ends with the request', async () => {
    const port = await startServer((req, res) => {
      const chunks: Buffer[] = [];
      req.body?.on('data', (d: Buffer) => chunks.push(d));
      req.body?.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        res.writeHead(200, ['content-length', String(text.length)]);
        res.end(Buffer.from(text));
      });
      if (req.body === undefined) { res.writeHead(200, ['content-length', '7']); res.end(Buffer.from('no body')); }
    });
    const c = await open(port);
    c.socket.write('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    c.socket.write('6\r\n world\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    await eventually(() => { expect(c.text()).to.include('no body'); }, 2000);
    expect(c.text()).to.include('hello world');
    c.socket.destroy();
  });

  const refusals = [
    { desc: 'CONNECT (no tunnels)', request: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', status: 400 },
    { desc: 'an expectation other than 100-continue', request: 'POST / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n', status: 417 },
    { desc: 'HTTP/2.0 in an HTTP/1 request line', request: 'GET / HTTP/2.0\r\nHost: x\r\n\r\n', status: 505 },
  ];
  for (const r of refusals) {
    it(`refuses ${r.desc} with ${r.status} without calling the handler, and closes`, async () => {
      let called = 0;
      const port = await startServer((req, res) => { called++; hello(req, res); });
      const c = await open(port);
      c.socket.write(r.request);
      await eventually(() => { expect(c.closed()).to.equal(true); }, 2000);
      expect(c.text()).to.match(new RegExp(`^HTTP/1\\.1 ${r.status} `));
      expect(called).to.equal(0);
    });
  }

  it('answers an Upgrade request as a plain request, then closes (the rest is another protocol)', async () => {
    const port = await startServer(hello);
    const c = await open(port);
    c.socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(c.closed()).to.equal(true); }, 2000);
    expect(c.text()).to.include('/ws');
    expect(c.text()).to.include('connection: close');
    expect(c.text()).not.to.include('/next');
  });

  it('calls onAbort with its context when the client leaves before the answer, never after it', async () => {
    const aborted: unknown[] = [];
    const port = await startServer((req, res) => {
      res.abortContext = req.url;
      res.onAbort = ((url: string) => { aborted.push(url); }) as (context: never) => void;
      if (req.url === '/fast') hello(req, res);
    });
    const fast = await open(port);
    fast.socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(fast.text()).to.include('/fast'); }, 2000);
    fast.socket.destroy();
    const slow = await open(port);
    slow.socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    slow.socket.destroy();
    await eventually(() => { expect(aborted).to.deep.equal(['/slow']); }, 2000);
  });

  it('survives a client that leaves after an early answer to a body nobody read (regression: unhandled body error)', async () => {
    const port = await startServer((req, res) => {
      if (req.url === '/early') { res.writeHead(404, ['content-length', '0']); res.end(); return; }
      hello(req, res);
    });
    const c = await open(port);
    c.socket.write('POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n12345');
    await eventually(() => { expect(c.text()).to.include('HTTP/1.1 404'); }, 2000);
    c.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await open(port);
    next.socket.write('GET /alive HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(next.text()).to.include('/alive'); }, 2000);
    next.socket.destroy();
  });

  it('refuses bad chunk framing that arrives with the head, with 400, and keeps serving (regression)', async () => {
    let called = 0;
    const port = await startServer((req, res) => { called++; hello(req, res); });
    const c = await open(port);
    c.socket.write('POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n');
    await eventually(() => { expect(c.closed()).to.equal(true); }, 2000);
    expect(c.text()).to.match(/^HTTP\/1\.1 400 /);
    expect(called).to.equal(0);
    const next = await open(port);
    next.socket.write('GET /alive HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(next.text()).to.include('/alive'); }, 2000);
    next.socket.destroy();
  });

  it('fails the body of a Connection: close request at once on bad chunk framing, and answers 400 (regression)', async () => {
    let bodyError: unknown;
    const port = await startServer((req) => {
      req.body?.on('error', (err: Error & { code?: string }) => { bodyError = err.code; });
      req.body?.resume();
    });
    const c = await open(port);
    c.socket.write('POST /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    c.socket.write('zz\r\n');
    await eventually(() => { expect(c.closed()).to.equal(true); }, 1500);
    expect(c.text()).to.match(/^HTTP\/1\.1 400 /);
    expect(bodyError).to.equal('ECONNRESET');
  });

  it('resets the connection when a close-delimited HTTP/1.0 answer is cut short, so it cannot look complete', async () => {
    const port = await startServer((_req, res) => {
      res.writeHead(200, ['content-type', 'text/plain']);
      res.write(Buffer.from('partial'));
      setTimeout(() => { res.destroy(); }, 30);
    });
    const socket = connect(port, '127.0.0.1');
    const error = await new Promise<string | undefined>((resolve) => {
      socket.on('error', (err: Error & { code?: string }) => { resolve(err.code); });
      socket.on('close', () => { resolve(undefined); });
      socket.on('data', () => undefined);
      socket.write('GET / HTTP/1.0\r\n\r\n');
    });
    expect(error).to.equal('ECONNRESET');
  });

  it('closeIdleConnections closes idle connections and leaves one with a request in progress', async () => {
    let pending: (() => void) | undefined;
    const port = await startServer((req, res) => {
      if (req.url === '/wait') { pending = () => { hello(req, res); }; return; }
      hello(req, res);
    });
    const idle = await open(port);
    idle.socket.write('GET /done HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(idle.text()).to.include('/done'); }, 2000);
    const busy = await open(port);
    busy.socket.write('GET /wait HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(pending).to.be.a('function'); }, 2000);
    servers[0]!.closeIdleConnections();
    await eventually(() => { expect(idle.closed()).to.equal(true); }, 2000);
    expect(busy.closed()).to.equal(false);
    pending!();
    await eventually(() => { expect(busy.text()).to.include('/wait'); }, 2000);
    busy.socket.destroy();
  });

  it('closeIdleConnections keeps a connection whose request head has only partly arrived (regression: reset with no answer)', async () => {
    const port = await startServer(hello);
    const fresh = await open(port);
    const partial = await open(port);
    partial.socket.write('GET /late HTTP/1.1\r\nHo');
    // A round trip on another connection: the server has read the partial head by then (loopback
    // delivers at write, and the server's poll reports every readable socket).
    const probe = await open(port);
    probe.socket.write('GET /probe HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(probe.text()).to.include('/probe'); }, 2000);
    servers[0]!.closeIdleConnections();
    // A connection that has sent nothing yet is idle; one in the middle of a head is not.
    await eventually(() => { expect(fresh.closed()).to.equal(true); }, 2000);
    partial.socket.write('st: x\r\n\r\n');
    await eventually(() => { expect(partial.text()).to.match(/^HTTP\/1\.1 200 OK[\s\S]*\/late$/); }, 2000);
    partial.socket.destroy();
  });

  it('answers 3000 pipelined requests sent in one write, in order (regression: stack overflow, answers cut off)', async () => {
    const port = await startServer(hello);
    const c = await open(port);
    const n = 3000;
    let bytes = '';
    for (let i = 0; i < n; i++) bytes += `GET /${i} HTTP/1.1\r\nHost: x\r\n\r\n`;
    c.socket.write(bytes);
    await eventually(() => { expect(count(c.text(), /HTTP\/1\.1 200 OK/g)).to.equal(n); }, 15000);
    const urls = c.text().split('HTTP/1.1 200 OK').slice(1).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4));
    expect(urls).to.deep.equal(Array.from({ length: n }, (_, i) => `/${i}`));
    expect(c.closed()).to.equal(false);
    c.socket.destroy();
  });

  it('never hands the next request to the handler from inside the previous answer\'s end()', async () => {
    let depth = 0;
    let nested = 0;
    const port = await startServer((req, res) => {
      if (depth > 0) nested++;
      depth++;
      hello(req, res);
      depth--;
    });
    const c = await open(port);
    c.socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(count(c.text(), /HTTP\/1\.1 200 OK/g)).to.equal(3); }, 2000);
    expect(nested).to.equal(0);
    c.socket.destroy();
  });

  it('does not let a chunked request\'s trailers or URL leak into the next request\'s head (regression)', async () => {
    const seen: { url: string; headers: readonly string[] }[] = [];
    const port = await startServer((req, res) => {
      seen.push({ url: req.url, headers: req.rawHeaders });
      if (req.body === undefined) { hello(req, res); return; }
      req.body.resume();
      req.body.on('end', () => { hello(req, res); });
    });
    const c = await open(port);
    const many = Array.from({ length: 40 }, (_, i) => `X-F${i}: v\r\n`).join('');
    c.socket.write('POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Injected: evil\r\nCookie: stolen\r\n\r\n'
      + `GET /second HTTP/1.1\r\nHost: x\r\n${many}\r\n`);
    await eventually(() => { expect(count(c.text(), /HTTP\/1\.1 200 OK/g)).to.equal(2); }, 2000);
    expect(seen.map((r) => r.url)).to.deep.equal(['/p', '/second']);
    const second = seen[1]!.headers;
    expect(second.length).to.equal(2 * 41);
    expect(second.slice(0, 2)).to.deep.equal(['Host', 'x']);
    expect(second.filter((_, i) => i % 2 === 0)).not.to.include.members(['X-Injected', 'Cookie']);
    c.socket.destroy();
  });

  it('refuses a request with two Host fields with 400 without calling the handler (RFC 9112 §3.2)', async () => {
    let called = false;
    const port = await startServer((req, res) => { called = true; hello(req, res); });
    for (const version of ['1.1', '1.0']) {
      const c = await open(port);
      c.socket.write(`GET / HTTP/${version}\r\nHost: a.example\r\nHost: b.example\r\n\r\n`);
      await eventually(() => { expect(c.closed()).to.equal(true); }, 2000);
      expect(c.text()).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    }
    expect(called).to.equal(false);
  });

  it('lets a pipelined head wait without a 408 while the answer before it is in progress, then times it out', async () => {
    let release: (() => void) | undefined;
    const port = await startServer((req, res) => {
      if (req.url === '/slow') { release = () => { hello(req, res); }; return; }
      hello(req, res);
    }, { headersTimeoutMs: 100 });
    const c = await open(port);
    c.socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHo');
    await eventually(() => { expect(release).to.be.a('function'); }, 2000);
    // A second connection whose head stops later than the first one's: once it has its 408, the
    // first one's head timeout has passed too, with the first answer still pending.
    const witness = await open(port);
    witness.socket.write('GET /w HTTP/1.1\r\nHo');
    await eventually(() => { expect(witness.text()).to.match(/^HTTP\/1\.1 408 /); }, 2000);
    expect(c.text()).to.equal('');
    release!();
    await eventually(() => { expect(c.closed()).to.equal(true); }, 2000);
    const answers = c.text().split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((a) => a.slice(0, 15))).to.deep.equal(['HTTP/1.1 200 OK', 'HTTP/1.1 408 Re']);
    expect(answers[0]).to.match(/\/slow$/);
  });

  it('delivers a complete early answer whole when the rest of the request body then turns out malformed (regression: cut off)', async () => {
    const size = 8 * 1024 * 1024;
    const port = await startServer((_req, res) => {
      res.writeHead(200, ['content-length', String(size)]);
      res.end(Buffer.alloc(size, 0x61));
    });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => { socket.once('connect', resolve); });
    socket.on('error', () => undefined);
    socket.pause();
    socket.write('POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
    // Not reading yet, so most of the answer waits in the server's socket buffer; then bad framing.
    await eventually(() => { expect(socket.readableLength + socket.bytesRead).to.be.above(0); }, 2000);
    socket.write('zz-not-hex\r\n');
    let received = 0;
    socket.on('data', (d: Buffer) => { received += d.length; });
    socket.resume();
    await new Promise<void>((resolve) => { socket.on('close', () => { resolve(); }); });
    const headLength = received - size;
    expect(headLength).to.be.within(40, 300);
  });

  /** Answers with `size` bytes in 64 KiB chunks, writing on at each drain; records onAbort. */
  function bigAnswer(size: number, seen: { aborted: boolean }): Http1Handler {
    const chunk = Buffer.alloc(65536, 0x62);
    return (_req, res) => {
      res.onAbort = () => { seen.aborted = true; };
      res.writeHead(200, ['content-length', String(size)]);
      let left = size;
      const pump = (): void => {
        while (left > 0) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= piece.length;
          if (left === 0) { res.end(piece); return; }
          if (!res.write(piece)) { res.onDrain = pump; return; }
        }
      };
      pump();
    };
  }

  it('disconnects a client that takes none of its answer for sendTimeoutMs, aborting the answer', async () => {
    const seen = { aborted: false };
    const port = await startServer(bigAnswer(256 * 1024 * 1024, seen), { sendTimeoutMs: 200 });
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    let closed = false;
    socket.on('close', () => { closed = true; });
    socket.pause(); // reads nothing: the kernel buffers fill, then the server's
    socket.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(seen.aborted).to.equal(true); }, 5000);
    socket.resume();
    await eventually(() => { expect(closed).to.equal(true); }, 5000);
  });

  it('keeps a client that reads its answer slowly but steadily (the timeout counts time without progress)', async () => {
    const seen = { aborted: false };
    const size = 24 * 1024 * 1024;
    const port = await startServer(bigAnswer(size, seen), { sendTimeoutMs: 200 });
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    let received = 0;
    socket.on('data', (d: Buffer) => {
      received += d.length;
      // About 2 MiB every 50 ms: the server waits on drains throughout, never 200 ms without one.
      if (received % (2 * 1024 * 1024) < d.length) { socket.pause(); setTimeout(() => { socket.resume(); }, 50); }
    });
    socket.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(received).to.be.above(size); }, 15000);
    expect(seen.aborted).to.equal(false);
    socket.destroy();
  });

  it('never closes an idle keep-alive connection with keepAliveTimeoutMs 0, and sends no timeout hint', async () => {
    const port = await startServer(hello, { keepAliveTimeoutMs: 0, headersTimeoutMs: 100 });
    const c = await open(port);
    c.socket.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(c.text()).to.include('/one'); }, 2000);
    expect(c.text()).to.include('connection: keep-alive\r\n').and.not.include('keep-alive: timeout=');
    // A second connection that sends nothing times out (100 ms head timeout): by then several
    // sweeps have run, and the idle keep-alive connection is still open.
    const witness = await open(port);
    await eventually(() => { expect(witness.closed()).to.equal(true); }, 2000);
    expect(c.closed()).to.equal(false);
    c.socket.write('GET /two HTTP/1.1\r\nHost: x\r\n\r\n');
    await eventually(() => { expect(c.text()).to.include('/two'); }, 2000);
    c.socket.destroy();
  });
});
