import { expect } from 'chai';
import type { Plan } from '../../balancing/index.js';
import { parseTarget, upstreamPath, type Target } from '../targets.js';
import { runRequestPasses, type RequestPassContext } from './request.js';
import { runResponsePasses, type ResponsePassContext } from './response.js';
import { MAX_REMEMBERED_VALUE, commonHeader, commonHeaderValue, isPlainConnectionValue, lowerHeaderName } from './header-names.js';

function requestCtx(raw: string[], stripSticky = true): RequestPassContext {
  return {
    settings: {
      forwardedContext: '/gateway/sandbox', proto: 'http', stripSticky, affinityHeader: 'x-user',
      balancer: { stripStickyCookie: (c) => c.split('; ').filter((p) => !p.startsWith('KNOX_BACKEND-HIVE=')).join('; ') || undefined },
    },
    rawHeaders: raw, clientIp: '192.0.2.7', localPort: 8443, headers: [],
    cookie: undefined, host: undefined, userAgent: undefined, forwardedFor: undefined, affinityKey: undefined,
    connection: undefined,
  };
}

function asObject(headers: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < headers.length; i += 2) out[headers[i]!] = headers[i + 1]!;
  return out;
}

describe('dispatch/passes: request', () => {
  it('drops hop-by-hop headers and those named by Connection, keeps Authorization', () => {
    const ctx = requestCtx([
      'Host', 'gw:8443', 'Connection', 'Keep-Alive, X-Secret', 'X-Secret', '1', 'Keep-Alive', 'timeout=5',
      'TE', 'trailers', 'Trailer', 'x', 'Upgrade', 'h2c', 'Proxy-Authorization', 'Basic x', 'Proxy-Connection', 'keep-alive',
      'Transfer-Encoding', 'chunked', 'Authorization', 'Negotiate abc', 'Accept', '*/*', 'Expect', '100-continue',
    ]);
    runRequestPasses(ctx);
    const h = asObject(ctx.headers);
    expect(Object.keys(h).filter((k) => !k.startsWith('x-forwarded-'))).to.deep.equal(['authorization', 'accept']);
  });

  it('appends the client to X-Forwarded-For and sets the other X-Forwarded-* headers', () => {
    const ctx = requestCtx(['Host', 'gw.example.com', 'X-Forwarded-For', '10.0.0.1', 'x-forwarded-for', '10.0.0.2', 'X-Forwarded-Proto', 'https']);
    runRequestPasses(ctx);
    expect(asObject(ctx.headers)).to.deep.equal({
      'x-forwarded-for': '10.0.0.1, 10.0.0.2, 192.0.2.7', 'x-forwarded-proto': 'http', 'x-forwarded-port': '8443',
      'x-forwarded-context': '/gateway/sandbox', 'x-forwarded-host': 'gw.example.com',
    });
  });

  it('strips only our sticky cookie, and drops an emptied Cookie header', () => {
    const ctx = requestCtx(['Cookie', 'a=1; KNOX_BACKEND-HIVE=abc', 'Cookie', 'b=2']);
    runRequestPasses(ctx);
    expect(asObject(ctx.headers)['cookie']).to.equal('a=1; b=2');
    expect(ctx.cookie).to.equal('a=1; KNOX_BACKEND-HIVE=abc; b=2');
    const only = requestCtx(['Cookie', 'KNOX_BACKEND-HIVE=abc']);
    runRequestPasses(only);
    expect(asObject(only.headers)).not.to.have.property('cookie');
    const notSticky = requestCtx(['Cookie', 'KNOX_BACKEND-HIVE=abc'], false);
    runRequestPasses(notSticky);
    expect(asObject(notSticky.headers)['cookie']).to.equal('KNOX_BACKEND-HIVE=abc');
  });

  it('records the facts balancing needs', () => {
    const ctx = requestCtx(['User-Agent', 'ClouderaODBCDriverforApacheHive/2.6', 'X-User', 'alice', 'Content-Length', '0']);
    runRequestPasses(ctx);
    expect([ctx.userAgent, ctx.affinityKey]).to.deep.equal(['ClouderaODBCDriverforApacheHive/2.6', 'alice']);
  });
});

describe('dispatch/passes: response', () => {
  const targets = [parseTarget('http://nn1:50070/webhdfs/')!, parseTarget('http://nn2:50070/webhdfs')!];
  const plan = { candidates: [], sticky: { kind: 'absent' }, cookieCarried: false, restricted: false, token: null } as unknown as Plan;
  function responseCtx(raw: string[], cookie?: string, host: string | undefined = 'gw:8443'): ResponsePassContext {
    return {
      settings: { proto: 'https', servicePrefix: '/gateway/sandbox/webhdfs', sticky: cookie !== undefined, balancer: { setCookieFor: () => cookie } },
      raw, host, targets, plan, served: 'http://nn1:50070/webhdfs/', headers: [], locationAt: -1,
    };
  }
  const locations = [
    { desc: 'a backend URL under the base path', in: 'http://nn2:50070/webhdfs/v1/a?op=OPEN', out: 'https://gw:8443/gateway/sandbox/webhdfs/v1/a?op=OPEN' },
    { desc: 'the base path with a trailing slash in the listing', in: 'http://nn1:50070/webhdfs/v1/b', out: 'https://gw:8443/gateway/sandbox/webhdfs/v1/b' },
    { desc: 'another path on a backend origin', in: 'http://nn1:50070/webhdfsx/v1', out: 'http://nn1:50070/webhdfsx/v1' },
    { desc: 'a datanode', in: 'http://dn1:50075/webhdfs/v1/a', out: 'http://dn1:50075/webhdfs/v1/a' },
    { desc: 'a relative Location', in: '/webhdfs/v1/a', out: '/webhdfs/v1/a' },
  ];
  for (const c of locations) {
    it(`Location: ${c.desc}`, () => {
      const ctx = responseCtx(['Location', c.in]);
      runResponsePasses(ctx);
      expect(asObject(ctx.headers)['location']).to.equal(c.out);
    });
  }

  it('drops hop-by-hop headers, keeps every Set-Cookie and appends ours last', () => {
    const ctx = responseCtx(['Set-Cookie', 'a=1', 'Connection', 'x-int', 'X-Int', '1', 'Transfer-Encoding', 'chunked', 'Set-Cookie', 'b=2'], 'KNOX_BACKEND-HIVE=h; Path=/gateway/sandbox; HttpOnly');
    runResponsePasses(ctx);
    expect(ctx.headers).to.deep.equal(['set-cookie', 'a=1', 'set-cookie', 'b=2', 'set-cookie', 'KNOX_BACKEND-HIVE=h; Path=/gateway/sandbox; HttpOnly']);
  });

  it('reads Buffer header lists as undici gives them', () => {
    const ctx = responseCtx([Buffer.from('Location'), Buffer.from('http://nn1:50070/webhdfs')] as unknown as string[]);
    runResponsePasses(ctx);
    expect(ctx.headers).to.deep.equal(['location', 'https://gw:8443/gateway/sandbox/webhdfs']);
  });

  it('reads Connection from Buffers: keep-alive/close without decoding, named headers dropped across several Connection headers', () => {
    const buffers = (list: string[]): string[] => list.map((s) => Buffer.from(s, 'latin1')) as unknown as string[];
    const plain = responseCtx(buffers(['Server', 'nginx', 'CONNECTION', 'Keep-Alive', 'Keep-Alive', 'timeout=5', 'Content-Length', '6']));
    runResponsePasses(plain);
    expect(plain.headers).to.deep.equal(['server', 'nginx', 'content-length', '6']);
    const named = responseCtx(buffers(['Connection', 'close', 'X-Int', '1', 'Location', 'http://nn1:50070/webhdfs/a', 'connection', 'X-INT, x-other', 'X-Other', '2', 'ETag', '"e"']));
    runResponsePasses(named);
    expect(named.headers).to.deep.equal(['location', 'https://gw:8443/gateway/sandbox/webhdfs/a', 'etag', '"e"']);
  });
});

describe('dispatch/targets', () => {
  it('parses origin and base path once, without trailing slashes', () => {
    const t = parseTarget('HTTP://NN1:50070/webhdfs//') as Target;
    expect([t.origin, t.basePath]).to.deep.equal(['http://nn1:50070', '/webhdfs']);
    expect(parseTarget('not a url')).to.equal(undefined);
    expect(parseTarget('ftp://x/')).to.equal(undefined);
  });

  it('joins base path, rest and query without double slashes', () => {
    const t = parseTarget('http://h:1/cliservice/') as Target;
    expect(upstreamPath(t, '/query', '?op=X')).to.equal('/cliservice/query?op=X');
    expect(upstreamPath(t, '', '')).to.equal('/cliservice');
    const root = parseTarget('http://h:1') as Target;
    expect(upstreamPath(root, '', '?a=1')).to.equal('/?a=1');
    expect(upstreamPath(root, '/x/', '')).to.equal('/x/');
  });
});

describe('dispatch/passes: header names', () => {
  const lower = (name: string): string => lowerHeaderName(Buffer.from(name, 'latin1'));

  it('returns the shared lower-case constant for common names in any case', () => {
    for (const name of ['Content-Type', 'CONTENT-LENGTH', 'date', 'Set-Cookie', 'Keep-Alive', 'Transfer-Encoding', 'WWW-Authenticate']) {
      expect(lower(name)).to.equal(name.toLowerCase());
    }
  });

  it('lower-cases other names, and does not confuse near misses with common names', () => {
    expect(lower('X-Backend')).to.equal('x-backend');
    expect(lower('Content_Type')).to.equal('content_type');
    expect(lower('Content-Typf')).to.equal('content-typf');
    expect(lower('Dat3')).to.equal('dat3');
    expect(lower('Locatioñ')).to.equal('locatioñ');
    expect(lowerHeaderName('Set-Cookie')).to.equal('set-cookie');
  });

  it('knows what the response passes do with each common name', () => {
    const kind = (name: string): string | undefined => commonHeader(Buffer.from(name, 'latin1'))?.kind;
    expect([kind('Connection'), kind('KEEP-ALIVE'), kind('Transfer-Encoding'), kind('Location'), kind('Set-Cookie'), kind('X-Backend')])
      .to.deep.equal(['connection', 'hop-by-hop', 'hop-by-hop', 'location', 'plain', undefined]);
  });

  it('matches letters in any case but no other byte: a CR is not a "-"', () => {
    expect(lower('Content\rType')).to.equal('content\rtype');
    expect(lower('Keep@Alive')).to.equal('keep@alive');
  });
});

describe('dispatch/passes: header values', () => {
  const headerValue = (name: string, raw: Buffer | string): string => commonHeaderValue(commonHeader(Buffer.from(name, 'latin1'))!, raw);

  it('tells a plain Connection value (keep-alive or close, any case) from one that names headers', () => {
    const plain = (v: string): boolean => isPlainConnectionValue(Buffer.from(v, 'latin1'));
    expect([plain('keep-alive'), plain('Keep-Alive'), plain('CLOSE'), plain('keep\ralive'), plain('close, x-a'), plain('x-a'), plain('')])
      .to.deep.equal([true, true, true, false, false, false, false]);
    expect([isPlainConnectionValue('Close'), isPlainConnectionValue('upgrade')]).to.deep.equal([true, false]);
  });

  it('gives the remembered string back for the same bytes, and decodes bytes that changed in place', () => {
    // undici's raw headers are views into parser memory that the next response overwrites.
    const memory = Buffer.from('text/plain', 'latin1');
    const first = headerValue('content-type', memory);
    expect(first).to.equal('text/plain');
    expect(headerValue('content-type', Buffer.from('text/plain', 'latin1'))).to.equal(first);
    memory.write('text/html!', 'latin1');
    expect(headerValue('content-type', memory)).to.equal('text/html!');
    expect(headerValue('content-type', Buffer.from('text/plain', 'latin1'))).to.equal('text/plain');
  });

  it('decodes latin1, long values, other names and strings as they are', () => {
    expect(headerValue('server', Buffer.from([0x63, 0xe9, 0x41]))).to.equal('c\u00e9A');
    expect(headerValue('server', Buffer.from([0x63, 0xe8, 0x41]))).to.equal('c\u00e8A');
    const long = 'x'.repeat(MAX_REMEMBERED_VALUE + 1);
    expect(headerValue('content-type', Buffer.from(long))).to.equal(long);
    expect(headerValue('etag', Buffer.from('"abc"'))).to.equal('"abc"');
    expect(headerValue('etag', Buffer.from('"abd"'))).to.equal('"abd"');
    expect(headerValue('content-length', '42')).to.equal('42');
  });
});
