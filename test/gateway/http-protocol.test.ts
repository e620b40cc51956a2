/**
 * The client-facing HTTP/1.1 wire behaviour of the gateway's listener, seen from raw TCP sockets:
 * keep-alive, pipelining, connection close rules, HTTP/1.0, body framing (Content-Length, chunked,
 * close-delimited, HEAD/204/304), request bodies, 100-continue, malformed requests, limits and
 * timeouts, client aborts, hop-by-hop response headers and a large slow download. It pins what a
 * client observes so that a replacement of the node:http listener can be checked against it.
 */
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startBackend, closeBackends, refusedUrl, type BackendHandler, type TestBackend } from '../helpers/backends.js';
import { eventually } from '../helpers/eventually.js';
import { startTestGateway, closeTestGateways, haXml, type TestGateway, type TestGatewayOptions } from '../helpers/gateway.js';

/* A raw HTTP/1.x client: bytes out, responses parsed incrementally from one connection. */

/** How a response body was delimited on the wire. */
type Framing = 'none' | 'length' | 'chunked' | 'close';

/** One response as read from the wire. */
interface WireResponse {
  /** `HTTP/1.1` or `HTTP/1.0`. */
  readonly version: string;
  readonly status: number;
  /** Header fields in wire order, names lower-cased. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  readonly framing: Framing;
}

/** Every value of header `name` (lower case), in wire order. */
function valuesOf(res: WireResponse, name: string): string[] {
  return res.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/** The single value of header `name`, or undefined; fails when the header is repeated. */
function headerOf(res: WireResponse, name: string): string | undefined {
  const values = valuesOf(res, name);
  expect(values.length, `${name} repeated: ${values.join(' | ')}`).to.be.at.most(1);
  return values[0];
}

/** The `code` of a JSON error body. */
function errorCodeOf(res: WireResponse): unknown {
  return (JSON.parse(res.body.toString('utf8')) as { code?: unknown }).code;
}

/** A parsed response and the bytes it used. */
interface Parsed {
  readonly response: WireResponse;
  readonly consumed: number;
}

/**
 * The chunked body starting at `start` and the offset after it; otherwise the byte count `buf`
 * must reach before a new attempt can get further.
 */
function parseChunked(buf: Buffer, start: number): { body: Buffer; end: number } | number {
  const parts: Buffer[] = [];
  let pos = start;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', pos);
    if (lineEnd < 0) return buf.length + 1;
    const sizeText = (buf.subarray(pos, lineEnd).toString('latin1').split(';')[0] ?? '').trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`bad chunk-size line ${JSON.stringify(sizeText)}`);
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 2;
    if (size === 0) {
      // Trailer section: field lines up to an empty line.
      for (;;) {
        const end = buf.indexOf('\r\n', pos);
        if (end < 0) return buf.length + 1;
        const empty = end === pos;
        pos = end + 2;
        if (empty) return { body: Buffer.concat(parts), end: pos };
      }
    }
    if (buf.length < pos + size + 2) return pos + size + 2;
    parts.push(buf.subarray(pos, pos + size));
    if (buf[pos + size] !== 0x0d || buf[pos + size + 1] !== 0x0a) throw new Error('chunk data not followed by CRLF');
    pos += size + 2;
  }
}

/**
 * The first response in `buf`; otherwise the byte count `buf` must reach before a new attempt can
 * succeed. `ended`: the server closed (a body without length ends there). `noBody`: the answer to
 * HEAD. Throws on bytes that are not a response.
 */
function parseResponse(buf: Buffer, ended: boolean, noBody: boolean): Parsed | number {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) {
    if (!'HTTP/'.startsWith(buf.subarray(0, 5).toString('latin1'))) {
      throw new Error(`not a response: ${JSON.stringify(buf.subarray(0, 200).toString('latin1'))}`);
    }
    return buf.length + 1;
  }
  const lines = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const statusLine = /^(HTTP\/1\.[01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (statusLine === null) throw new Error(`not a status line: ${JSON.stringify(lines[0])}`);
  const headers = lines.slice(1).map((line): [string, string] => {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`not a header field: ${JSON.stringify(line)}`);
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  const status = Number(statusLine[2]);
  const start = headEnd + 4;
  const done = (body: Buffer, framing: Framing, consumed: number): Parsed => ({
    response: { version: statusLine[1] as string, status, headers, body, framing }, consumed,
  });
  if (noBody || status < 200 || status === 204 || status === 304) return done(Buffer.alloc(0), 'none', start);
  const te = headers.filter(([n]) => n === 'transfer-encoding').map(([, v]) => v.toLowerCase()).join(',');
  if (te !== '' && te.split(',').map((s) => s.trim()).pop() === 'chunked') {
    const chunked = parseChunked(buf, start);
    return typeof chunked === 'number' ? chunked : done(chunked.body, 'chunked', chunked.end);
  }
  const length = headers.find(([n]) => n === 'content-length');
  if (te === '' && length !== undefined) {
    const end = start + Number(length[1]);
    return buf.length < end ? end : done(buf.subarray(start, end), 'length', end);
  }
  return ended ? done(buf.subarray(start), 'close', buf.length) : buf.length + 1;
}

/** One client connection to the gateway. */
class WireClient {
  /** Received bytes not yet parsed, joined only when a parse can get further. */
  private chunks: Buffer[] = [];
  private size = 0;
  private waiters: (() => void)[] = [];
  /** The server ended (FIN), reset, or the socket closed. */
  ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => { this.chunks.push(d); this.size += d.length; this.notify(); });
    socket.on('end', () => { this.ended = true; this.notify(); });
    socket.on('close', () => { this.ended = true; this.notify(); });
    // Writes racing a server-side close (EPIPE, ECONNRESET) are expected in the error tests.
    socket.on('error', () => { this.ended = true; this.notify(); });
  }

  /** Connects to 127.0.0.1:`port`. */
  static open(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => { socket.off('error', reject); const c = new WireClient(socket); clients.add(c); resolve(c); });
    });
  }

  /** Writes bytes; resolves once they were handed to the kernel (or the write failed). */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => { this.socket.write(data, () => { resolve(); }); });
  }

  /** Bytes received and not yet parsed as a response. */
  get pending(): number {
    return this.size;
  }

  /** Reads the next response (a 1xx counts as one); `head`: it answers a HEAD request. */
  async readResponse(opts: { readonly head?: boolean; readonly timeoutMs?: number } = {}): Promise<WireResponse> {
    const deadline = Date.now() + (opts.timeoutMs ?? 2500);
    let needed = 1;
    for (;;) {
      if (this.size >= needed || this.ended) {
        const buf = this.bytes();
        const parsed = parseResponse(buf, this.ended, opts.head === true);
        if (typeof parsed !== 'number') {
          this.chunks = parsed.consumed < buf.length ? [buf.subarray(parsed.consumed)] : [];
          this.size = buf.length - parsed.consumed;
          return parsed.response;
        }
        needed = parsed;
      }
      if (this.ended) throw new Error(`connection closed before a complete response; got ${JSON.stringify(this.preview())}`);
      await this.change(deadline, 'a response');
    }
  }

  /** Sends `request` and reads its response. */
  async exchange(request: string | Buffer, opts: { readonly head?: boolean } = {}): Promise<WireResponse> {
    await this.write(request);
    return this.readResponse(opts);
  }

  /** Waits until the server closes the connection; resolves with the wait in ms. */
  async closedWithin(timeoutMs: number): Promise<number> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    while (!this.ended) await this.change(deadline, 'the server to close the connection');
    return Date.now() - started;
  }

  /** Waits until the unparsed bytes contain `text`. */
  async received(text: string, timeoutMs = 2500): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.bytes().includes(text)) {
      if (this.ended) throw new Error(`connection closed before ${JSON.stringify(text)} arrived`);
      await this.change(deadline, JSON.stringify(text));
    }
  }

  destroy(): void {
    clients.delete(this);
    this.socket.destroy();
  }

  /** The unparsed bytes as one Buffer. */
  private bytes(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] as Buffer;
  }

  private preview(): string {
    return this.bytes().subarray(0, 300).toString('latin1');
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next data/end/close event; rejects at `deadline`. */
  private change(deadline: number, what: string): Promise<void> {
    const left = deadline - Date.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.preview())}`)); }, Math.max(0, left));
      this.waiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }
}

const clients = new Set<WireClient>();

/* Backends. */

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The default backend answer: reads the whole request body, then answers 200 with the request's
 * method, target, body length and body hash in headers, body `METHOD TARGET`, with Content-Length.
 */
const echo: BackendHandler = (req, res, backend) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => { chunks.push(c); });
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const text = Buffer.from(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(200, {
      'x-backend': backend.name, 'x-path': req.url ?? '', 'x-received-length': String(body.length),
      'x-received-sha256': sha256(body), 'content-type': 'text/plain', 'content-length': String(text.length),
    });
    res.end(text);
  });
};

/** Writes `data` in `pieceSize` pieces, waiting for `drain`; the response then ends. */
function writeSlowly(res: ServerResponse, data: Buffer, pieceSize: number): void {
  let at = 0;
  const next = (): void => {
    while (at < data.length) {
      const piece = data.subarray(at, at + pieceSize);
      at += piece.length;
      if (!res.write(piece)) { res.once('drain', next); return; }
    }
    res.end();
  };
  next();
}

const GET = (path: string, extra = ''): string => `GET /gateway/t/echo${path} HTTP/1.1\r\nHost: gw.example\r\n${extra}\r\n`;

describe('gateway HTTP/1.1 wire behaviour', function () {
  this.timeout(5000);
  let b1: TestBackend;
  let gw: TestGateway;

  const startGw = (opts: Partial<TestGatewayOptions> = {}): Promise<TestGateway> =>
    startTestGateway({ xml: { t: haXml([{ name: 'ECHO', urls: [b1.url] }]) }, ...opts });
  const openClient = (g: TestGateway = gw): Promise<WireClient> => WireClient.open(g.gateway.port);

  beforeEach(async () => {
    b1 = await startBackend('b1', echo);
    gw = await startGw();
  });
  afterEach(async () => {
    for (const c of [...clients]) c.destroy();
    await closeBackends();
    await closeTestGateways();
  });

  describe('persistent connections', () => {
    it('answers two sequential requests on one HTTP/1.1 connection and keeps it open', async () => {
      const c = await openClient();
      const first = await c.exchange(GET('/one'));
      const second = await c.exchange(GET('/two'));
      expect([first.status, first.body.toString()]).to.deep.equal([200, 'GET /one']);
      expect([second.status, second.body.toString()]).to.deep.equal([200, 'GET /two']);
      // The backend's Content-Length reaches the client as is.
      expect([second.framing, headerOf(second, 'content-length')]).to.deep.equal(['length', '8']);
      expect(headerOf(second, 'connection')).not.to.equal('close');
      expect(c.ended).to.equal(false);
      expect(b1.requests).to.equal(2);
    });

    it('answers pipelined requests in request order when the backend is slowest on the first', async () => {
      b1.setHandler((req, res, backend) => {
        if (req.url === '/first') setTimeout(() => { echo(req, res, backend); }, 150);
        else echo(req, res, backend);
      });
      const c = await openClient();
      await c.write(GET('/first') + GET('/second') + GET('/third'));
      const answers = [await c.readResponse(), await c.readResponse(), await c.readResponse()];
      expect(answers.map((r) => [r.status, headerOf(r, 'x-path'), r.body.toString()])).to.deep.equal([
        [200, '/first', 'GET /first'], [200, '/second', 'GET /second'], [200, '/third', 'GET /third'],
      ]);
      expect(c.ended).to.equal(false);
      expect(b1.requests).to.equal(3);
    });

    it('answers five pipelined requests to a backend that refuses connections with five 502s and keeps running (regression: crash)', async () => {
      const g = await startTestGateway({ xml: { d: haXml([{ name: 'DEAD', urls: [await refusedUrl()], attrs: { failoverSleep: 10 } }]) } });
      const c = await openClient(g);
      const dead = 'GET /gateway/d/dead/x HTTP/1.1\r\nHost: gw.example\r\n\r\n';
      await c.write(dead.repeat(5));
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) answers.push((await c.readResponse()).status);
      expect(answers).to.deep.equal([502, 502, 502, 502, 502]);
      // The process survived: the same gateway still serves.
      expect((await c.exchange(dead)).status).to.equal(502);
    });

    it('answers a request with Connection: close, says so, then closes the connection', async () => {
      const c = await openClient();
      const res = await c.exchange(GET('/bye', 'Connection: close\r\n'));
      expect([res.status, res.body.toString()]).to.deep.equal([200, 'GET /bye']);
      expect(headerOf(res, 'connection')).to.equal('close');
      await c.closedWithin(1000);
      expect(c.pending).to.equal(0);
    });

    it('answers an HTTP/1.0 request (no Host, no keep-alive), then closes the connection', async () => {
      const c = await openClient();
      const res = await c.exchange('GET /gateway/t/echo/old HTTP/1.0\r\n\r\n');
      expect([res.status, res.body.toString()]).to.deep.equal([200, 'GET /old']);
      await c.closedWithin(1000);
    });

    it('keeps an HTTP/1.0 connection with Connection: keep-alive open for a second request', async () => {
      const c = await openClient();
      const req = (path: string): string => `GET /gateway/t/echo${path} HTTP/1.0\r\nHost: gw.example\r\nConnection: keep-alive\r\n\r\n`;
      const first = await c.exchange(req('/a'));
      expect([first.status, first.framing, first.body.toString()]).to.deep.equal([200, 'length', 'GET /a']);
      expect(headerOf(first, 'connection')?.toLowerCase()).to.equal('keep-alive');
      const second = await c.exchange(req('/b'));
      expect([second.status, second.body.toString()]).to.deep.equal([200, 'GET /b']);
      expect(c.ended).to.equal(false);
    });

    it('keeps the connection after a gateway error answer (404 for an unknown topology)', async () => {
      const c = await openClient();
      const missing = await c.exchange('GET /gateway/nope/echo/x HTTP/1.1\r\nHost: gw.example\r\n\r\n');
      expect([missing.status, errorCodeOf(missing)]).to.deep.equal([404, 'HAD_ERR_NOT_FOUND']);
      const res = await c.exchange(GET('/after'));
      expect([res.status, res.body.toString()]).to.deep.equal([200, 'GET /after']);
    });
  });

  describe('response framing', () => {
    const streamed = 'hello, streamed world';
    const answerChunked: BackendHandler = (_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.write('hello, ');
      setImmediate(() => { res.write('streamed '); res.end('world'); });
    };

    it('sends a backend answer without Content-Length to an HTTP/1.1 client chunked, whole, on a reusable connection', async () => {
      b1.setHandler(answerChunked);
      const c = await openClient();
      const res = await c.exchange(GET('/stream'));
      expect([res.status, res.framing, res.body.toString()]).to.deep.equal([200, 'chunked', streamed]);
      expect(valuesOf(res, 'transfer-encoding')).to.deep.equal(['chunked']);
      expect(headerOf(res, 'content-length')).to.equal(undefined);
      b1.setHandler(echo);
      expect((await c.exchange(GET('/next'))).body.toString()).to.equal('GET /next');
    });

    it('sends a backend answer without Content-Length to an HTTP/1.0 client whole and unchunked, then closes', async () => {
      b1.setHandler(answerChunked);
      const c = await openClient();
      const res = await c.exchange('GET /gateway/t/echo/stream HTTP/1.0\r\nHost: gw.example\r\n\r\n');
      expect(res.status).to.equal(200);
      expect(['close', 'length']).to.include(res.framing);
      expect(valuesOf(res, 'transfer-encoding')).to.deep.equal([]);
      expect(res.body.toString()).to.equal(streamed);
      await c.closedWithin(1000);
    });

    it('answers HEAD with the headers (the backend\'s Content-Length included) and no body bytes', async () => {
      const c = await openClient();
      await c.write('HEAD /gateway/t/echo/h HTTP/1.1\r\nHost: gw.example\r\n\r\n');
      const head = await c.readResponse({ head: true });
      expect([head.status, headerOf(head, 'x-path'), headerOf(head, 'content-length')]).to.deep.equal([200, '/h', String('HEAD /h'.length)]);
      expect(b1.last?.method).to.equal('HEAD');
      // Any body byte of the HEAD answer would be read as the start of this one.
      const next = await c.exchange(GET('/after-head'));
      expect([next.status, next.body.toString()]).to.deep.equal([200, 'GET /after-head']);
      expect(c.pending).to.equal(0);
    });

    it('passes 204 and 304 answers on without a body and keeps the connection', async () => {
      b1.setHandler((req, res, backend) => {
        if (req.url === '/204') { res.writeHead(204, { 'x-backend': backend.name }); res.end(); } else if (req.url === '/304') {
          res.writeHead(304, { etag: '"v1"' });
          res.end();
        } else echo(req, res, backend);
      });
      const c = await openClient();
      const noContent = await c.exchange(GET('/204'));
      expect([noContent.status, headerOf(noContent, 'x-backend')]).to.deep.equal([204, 'b1']);
      expect(valuesOf(noContent, 'transfer-encoding')).to.deep.equal([]);
      const notModified = await c.exchange(GET('/304', 'If-None-Match: "v1"\r\n'));
      expect([notModified.status, headerOf(notModified, 'etag')]).to.deep.equal([304, '"v1"']);
      expect(valuesOf(notModified, 'transfer-encoding')).to.deep.equal([]);
      const next = await c.exchange(GET('/after'));
      expect([next.status, next.body.toString()]).to.deep.equal([200, 'GET /after']);
      expect(c.pending).to.equal(0);
      expect(c.ended).to.equal(false);
    });
  });

  describe('request bodies', () => {
    const small = Buffer.from('name=value&other=thing');
    // Larger than the default replay buffer (64 KiB): streamed to the backend, not buffered whole.
    const large = randomBytes(200 * 1024);
    const chunkedOf = (data: Buffer, piece: number): Buffer => {
      const parts: Buffer[] = [];
      for (let at = 0; at < data.length; at += piece) {
        const slice = data.subarray(at, at + piece);
        parts.push(Buffer.from(`${slice.length.toString(16)}\r\n`), slice, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from('0\r\n\r\n'));
      return Buffer.concat(parts);
    };
    const cases: readonly { desc: string; body: Buffer; framing: 'length' | 'chunked' }[] = [
      { desc: 'a small Content-Length body', body: small, framing: 'length' },
      { desc: 'a 200 KiB Content-Length body', body: large, framing: 'length' },
      { desc: 'a small chunked body', body: small, framing: 'chunked' },
      { desc: 'a 200 KiB chunked body', body: large, framing: 'chunked' },
    ];
    for (const c of cases) {
      it(`forwards ${c.desc} whole and keeps the connection`, async () => {
        const client = await openClient();
        const head = c.framing === 'length'
          ? `POST /gateway/t/echo/up HTTP/1.1\r\nHost: gw.example\r\nContent-Type: application/octet-stream\r\nContent-Length: ${c.body.length}\r\n\r\n`
          : 'POST /gateway/t/echo/up HTTP/1.1\r\nHost: gw.example\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
        await client.write(head);
        await client.write(c.framing === 'length' ? c.body : chunkedOf(c.body, 7000));
        const res = await client.readResponse();
        expect([res.status, res.body.toString()]).to.deep.equal([200, 'POST /up']);
        expect([headerOf(res, 'x-received-length'), headerOf(res, 'x-received-sha256')]).to.deep.equal([String(c.body.length), sha256(c.body)]);
        const next = await client.exchange(GET('/after'));
        expect([next.status, headerOf(next, 'x-received-length')]).to.deep.equal([200, '0']);
      });
    }

    it('answers Expect: 100-continue with 100 Continue before the body is sent, then the final answer', async () => {
      const c = await openClient();
      await c.write(`PUT /gateway/t/echo/up HTTP/1.1\r\nHost: gw.example\r\nExpect: 100-continue\r\nContent-Length: ${small.length}\r\n\r\n`);
      const interim = await c.readResponse();
      expect([interim.version, interim.status]).to.deep.equal(['HTTP/1.1', 100]);
      await c.write(small);
      const res = await c.readResponse();
      expect([res.status, headerOf(res, 'x-received-length'), headerOf(res, 'x-received-sha256')]).to.deep.equal([200, String(small.length), sha256(small)]);
      // The gateway answered the expectation itself: the backend does not see it.
      expect(b1.last?.headers['expect']).to.equal(undefined);
    });
  });

  describe('malformed requests', () => {
    const cases: readonly { desc: string; bytes: string; status: number }[] = [
      {
        desc: 'both Content-Length and Transfer-Encoding (smuggling)', status: 400,
        bytes: 'POST /gateway/t/echo/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /gateway/t/echo/smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
      },
      { desc: 'two different Content-Length values', status: 400, bytes: 'POST /gateway/t/echo/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 30\r\n\r\nx' },
      { desc: 'the same Content-Length twice', status: 400, bytes: 'POST /gateway/t/echo/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab' },
      { desc: 'a Transfer-Encoding that does not end in chunked', status: 400, bytes: 'POST /gateway/t/echo/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc' },
      { desc: 'a garbage request line', status: 400, bytes: 'this is not http\r\n\r\n' },
      { desc: 'whitespace between a field name and the colon', status: 400, bytes: 'GET /gateway/t/echo/x HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n' },
      { desc: 'bare LF line endings', status: 400, bytes: 'GET /gateway/t/echo/x HTTP/1.1\nHost: x\n\n' },
    ];
    for (const c of cases) {
      it(`answers ${c.status} HAD_ERR_REQUEST_INVALID to ${c.desc}, closes, and forwards nothing`, async () => {
        const client = await openClient();
        const res = await client.exchange(c.bytes);
        expect(res.status).to.equal(c.status);
        expect(errorCodeOf(res)).to.equal('HAD_ERR_REQUEST_INVALID');
        expect(headerOf(res, 'connection')).to.equal('close');
        await client.closedWithin(1000);
        expect(b1.requests).to.equal(0);
      });
    }

    it('answers 400 to an HTTP/1.1 request without Host, closes, and forwards nothing', async () => {
      const c = await openClient();
      // node:http answered this itself with an empty body; the gateway's server answers its JSON error.
      const res = await c.exchange('GET /gateway/t/echo/x HTTP/1.1\r\n\r\n');
      expect(res.status).to.equal(400);
      expect(headerOf(res, 'connection')).to.equal('close');
      await c.closedWithin(1000);
      expect(b1.requests).to.equal(0);
    });

    it('answers 431 to a request head larger than maxHeaderSize and forwards nothing', async () => {
      const g = await startGw({ maxHeaderSize: 4096 });
      const fits = await (await openClient(g)).exchange(GET('/fits', `X-Pad: ${'a'.repeat(2000)}\r\n`));
      expect(fits.status).to.equal(200);
      const c = await openClient(g);
      const res = await c.exchange(GET('/big', `X-Pad: ${'a'.repeat(8000)}\r\n`));
      expect([res.status, errorCodeOf(res)]).to.deep.equal([431, 'HAD_ERR_REQUEST_INVALID']);
      await c.closedWithin(1000);
      expect(b1.requests).to.equal(1);
    });

    it('answers 431 to more header fields than maxHeadersCount and forwards nothing', async () => {
      const g = await startGw({ maxHeadersCount: 20 });
      const fields = (n: number): string => Array.from({ length: n }, (_, i) => `X-F${i}: v\r\n`).join('');
      const fits = await (await openClient(g)).exchange(GET('/fits', fields(10)));
      expect(fits.status).to.equal(200);
      const c = await openClient(g);
      const res = await c.exchange(GET('/flood', fields(40)));
      expect([res.status, errorCodeOf(res)]).to.deep.equal([431, 'HAD_ERR_REQUEST_INVALID']);
      expect(headerOf(res, 'connection')).to.equal('close');
      await c.closedWithin(1000);
      expect(b1.requests).to.equal(1);
    });
  });

  describe('timeouts', () => {
    it('answers 408 and closes when the request head stops half-way (headersTimeoutMs)', async () => {
      const g = await startGw({ headersTimeoutMs: 300 });
      const c = await openClient(g);
      const started = Date.now();
      await c.write('GET /gateway/t/echo/x HTTP/1.1\r\nHost: x\r\nX-Slow: a');
      const res = await c.readResponse();
      expect([res.status, errorCodeOf(res)]).to.deep.equal([408, 'HAD_ERR_REQUEST_INVALID']);
      await c.closedWithin(1000);
      expect(Date.now() - started).to.be.within(250, 1500);
      expect(b1.requests).to.equal(0);
    });

    it('answers 408 to a head trickled in a field at a time (the deadline is not reset by progress)', async () => {
      const g = await startGw({ headersTimeoutMs: 300 });
      const c = await openClient(g);
      const started = Date.now();
      await c.write('GET /gateway/t/echo/x HTTP/1.1\r\nHost: x\r\n');
      let n = 0;
      const trickle = setInterval(() => { if (!c.ended) c.socket.write(`X-T${n++}: v\r\n`); }, 50);
      try {
        const res = await c.readResponse();
        expect(res.status).to.equal(408);
        await c.closedWithin(1000);
      } finally {
        clearInterval(trickle);
      }
      expect(Date.now() - started).to.be.within(250, 1500);
      expect(b1.requests).to.equal(0);
    });

    it('answers 408 to a connection that sends nothing, after headersTimeoutMs', async () => {
      const g = await startGw({ headersTimeoutMs: 300 });
      const c = await openClient(g);
      const started = Date.now();
      const res = await c.readResponse();
      expect(res.status).to.equal(408);
      await c.closedWithin(1000);
      expect(Date.now() - started).to.be.within(250, 1500);
    });

    it('closes an idle keep-alive connection after keepAliveTimeoutMs (plus Node\'s 1 s grace)', async () => {
      const g = await startGw({ keepAliveTimeoutMs: 300 });
      const c = await openClient(g);
      expect((await c.exchange(GET('/once'))).status).to.equal(200);
      const idle = await c.closedWithin(2500);
      expect(idle).to.be.within(300, 1800);
      expect(c.pending).to.equal(0);
    });
  });

  describe('client aborts', () => {
    const cases: readonly { desc: string; handler: BackendHandler; request: string; started: (c: WireClient) => Promise<void> }[] = [
      {
        desc: 'while the backend has not answered yet',
        handler: () => { /* never answers */ },
        request: GET('/hang'),
        started: async () => { await eventually(() => expect(b1.requests).to.equal(1), 2000); },
      },
      {
        desc: 'while the response body is streaming',
        handler: (_req: IncomingMessage, res: ServerResponse) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.write('first part;'); },
        request: GET('/stream'),
        started: async (c) => { await c.received('first part;'); },
      },
      {
        desc: 'while a large upload is streaming to the backend',
        handler: (req: IncomingMessage) => { req.resume(); },
        request: `POST /gateway/t/echo/up HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * 1024}\r\n\r\n${'u'.repeat(200 * 1024)}`,
        started: async () => { await eventually(() => expect(b1.requests).to.equal(1), 2000); },
      },
    ];
    for (const c of cases) {
      it(`aborts the upstream request when the client disconnects ${c.desc}`, async () => {
        b1.setHandler(c.handler);
        const client = await openClient();
        await client.write(c.request);
        await c.started(client);
        expect(b1.aborted).to.equal(0);
        client.destroy();
        await eventually(() => expect(b1.aborted).to.equal(1), 2000);
      });
    }
  });

  describe('response headers', () => {
    it('drops hop-by-hop headers (and those named by Connection) and passes every Set-Cookie', async () => {
      b1.setHandler((_req, res) => {
        res.writeHead(200, [
          'Connection', 'x-hop',
          'X-Hop', 'named-by-connection',
          'X-End', 'end-to-end',
          'Keep-Alive', 'timeout=99, max=7',
          'Upgrade', 'h2c',
          'Proxy-Authenticate', 'Basic realm="proxy"',
          'Proxy-Connection', 'keep-alive',
          'Set-Cookie', 'a=1; Path=/',
          'Set-Cookie', 'b=2; HttpOnly',
          'Set-Cookie', 'c=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
          'Content-Type', 'text/plain',
          'Content-Length', '2',
        ]);
        res.end('ok');
      });
      const c = await openClient();
      const res = await c.exchange(GET('/hop'));
      expect([res.status, res.body.toString()]).to.deep.equal([200, 'ok']);
      expect(headerOf(res, 'x-end')).to.equal('end-to-end');
      for (const name of ['x-hop', 'upgrade', 'proxy-authenticate', 'proxy-connection']) {
        expect(valuesOf(res, name), name).to.deep.equal([]);
      }
      // The listener may announce its own keep-alive parameters, never the backend's.
      expect(valuesOf(res, 'keep-alive').join()).not.to.include('max=7');
      expect(valuesOf(res, 'connection').join().toLowerCase()).not.to.include('x-hop');
      expect(valuesOf(res, 'set-cookie')).to.deep.equal(['a=1; Path=/', 'b=2; HttpOnly', 'c=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT']);
      expect((await c.exchange(GET('/after'))).status).to.equal(200);
    });

    it('keeps the client connection open when the backend answers Connection: close', async () => {
      b1.setHandler((req, res, backend) => { res.setHeader('connection', 'close'); echo(req, res, backend); });
      const c = await openClient();
      const res = await c.exchange(GET('/closing-backend'));
      expect([res.status, res.body.toString()]).to.deep.equal([200, 'GET /closing-backend']);
      expect(headerOf(res, 'connection')).not.to.equal('close');
      const next = await c.exchange(GET('/again'));
      expect([next.status, next.body.toString()]).to.deep.equal([200, 'GET /again']);
      expect(c.ended).to.equal(false);
    });
  });

  describe('large responses', () => {
    const data = randomBytes(5 * 1024 * 1024);
    const cases: readonly { desc: string; withLength: boolean; framing: Framing }[] = [
      { desc: 'with Content-Length', withLength: true, framing: 'length' },
      { desc: 'chunked', withLength: false, framing: 'chunked' },
    ];
    for (const c of cases) {
      it(`streams a 5 MiB answer (${c.desc}) to a slowly reading client complete and byte-exact`, async () => {
        b1.setHandler((_req, res) => {
          res.writeHead(200, c.withLength ? { 'content-type': 'application/octet-stream', 'content-length': String(data.length) } : { 'content-type': 'application/octet-stream' });
          writeSlowly(res, data, 64 * 1024);
        });
        const client = await openClient();
        // A slow reader: after each chunk received the socket stops reading for a moment.
        client.socket.on('data', () => {
          client.socket.pause();
          setTimeout(() => { client.socket.resume(); }, 3);
        });
        const res = await client.exchange(GET('/big'));
        expect([res.status, res.framing, res.body.length]).to.deep.equal([200, c.framing, data.length]);
        expect(sha256(res.body)).to.equal(sha256(data));
        expect((await client.exchange(GET('/after'))).status).to.equal(200);
      });
    }
  });
});
