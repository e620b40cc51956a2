import { expect } from 'chai';
import { classifyCode, errorCodeOf, mapUpstreamError, retryVerdict, isIdempotentMethod, type FailureKind } from './map-error.js';

describe('dispatch/map-error', () => {
  const table: ReadonlyArray<{ desc: string; code: string | undefined; sent: boolean; kind: FailureKind }> = [
    { desc: 'refused', code: 'ECONNREFUSED', sent: false, kind: 'connect' },
    { desc: 'DNS: unknown host', code: 'ENOTFOUND', sent: false, kind: 'connect' },
    { desc: 'DNS: try again', code: 'EAI_AGAIN', sent: false, kind: 'connect' },
    { desc: 'host unreachable', code: 'EHOSTUNREACH', sent: false, kind: 'connect' },
    { desc: 'network unreachable', code: 'ENETUNREACH', sent: false, kind: 'connect' },
    { desc: 'connect timeout', code: 'UND_ERR_CONNECT_TIMEOUT', sent: false, kind: 'connect' },
    { desc: 'pool closed by a reload', code: 'UND_ERR_CLOSED', sent: false, kind: 'connect' },
    { desc: 'TLS certificate problem (nothing sent)', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', sent: false, kind: 'connect' },
    { desc: 'reset before any request byte was sent', code: 'ECONNRESET', sent: false, kind: 'connect' },
    { desc: 'socket closed before the request was written', code: 'UND_ERR_SOCKET', sent: false, kind: 'connect' },
    { desc: 'EPIPE before the request was written', code: 'EPIPE', sent: false, kind: 'connect' },
    { desc: 'reset after the request was sent (peer never read it: SPEC "reset before any response")', code: 'ECONNRESET', sent: true, kind: 'connect' },
    { desc: 'socket closed after the request was sent', code: 'UND_ERR_SOCKET', sent: true, kind: 'aborted' },
    { desc: 'EPIPE while sending the body (replayed only while the body fits the replay buffer)', code: 'EPIPE', sent: true, kind: 'connect' },
    { desc: 'connection aborted after the request was sent', code: 'ECONNABORTED', sent: true, kind: 'aborted' },
    { desc: 'response timeout', code: 'UND_ERR_HEADERS_TIMEOUT', sent: true, kind: 'timeout' },
    { desc: 'body timeout', code: 'UND_ERR_BODY_TIMEOUT', sent: true, kind: 'timeout' },
    { desc: 'undici abort', code: 'UND_ERR_ABORTED', sent: true, kind: 'aborted' },
    { desc: 'bad response from the backend', code: 'HPE_INVALID_CONSTANT', sent: true, kind: 'aborted' },
    { desc: 'truncated response', code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', sent: true, kind: 'aborted' },
    { desc: 'request undici cannot send', code: 'UND_ERR_INVALID_ARG', sent: false, kind: 'invalid' },
    { desc: 'client went away', code: 'HAD_CLIENT_GONE', sent: true, kind: 'client' },
    { desc: 'unknown code', code: 'EWHATEVER', sent: false, kind: 'internal' },
    { desc: 'no code', code: undefined, sent: false, kind: 'internal' },
  ];
  for (const c of table) {
    it(`classifies ${c.desc} (${c.code ?? 'none'}) as ${c.kind}`, () => {
      expect(classifyCode(c.code, { requestSent: c.sent })).to.equal(c.kind);
    });
  }

  it('looks through UND_ERR_SOCKET to a wrapped socket error code', () => {
    const err = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    expect(errorCodeOf(err)).to.equal('ECONNREFUSED');
  });

  it('maps to our codes and statuses, keeping the cause and naming only the origin', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const f = mapUpstreamError(cause, { requestSent: false }, { role: 'HIVE', backend: 'http://h1:10001', attempt: 2 });
    expect(f.kind).to.equal('connect');
    expect(f.error.code).to.equal('HAD_ERR_UPSTREAM_CONNECT');
    expect(f.error.status).to.equal(502);
    expect(f.error.cause).to.equal(cause);
    expect(f.error.message).to.equal('HIVE: attempt 2 on http://h1:10001 failed (ECONNREFUSED)');
    const t = mapUpstreamError(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), { requestSent: true }, { role: 'HIVE', backend: 'b', attempt: 1 });
    expect([t.error.code, t.error.status]).to.deep.equal(['HAD_ERR_UPSTREAM_TIMEOUT', 504]);
  });

  it('treats GET HEAD OPTIONS PUT DELETE TRACE as idempotent, POST PATCH not', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'].every(isIdempotentMethod)).to.equal(true);
    expect(['POST', 'PATCH', 'CONNECT'].some(isIdempotentMethod)).to.equal(false);
  });

  const verdicts = [
    { desc: 'connect, replayable body', kind: 'connect', replayable: false, body: true, verdict: 'retry' },
    { desc: 'connect, body consumed', kind: 'connect', replayable: true, body: false, verdict: 'body-consumed' },
    { desc: 'timeout, POST', kind: 'timeout', replayable: false, body: true, verdict: 'non-idempotent' },
    { desc: 'timeout, GET', kind: 'timeout', replayable: true, body: true, verdict: 'retry' },
    { desc: 'aborted, flag on, body consumed', kind: 'aborted', replayable: true, body: false, verdict: 'body-consumed' },
    { desc: 'invalid', kind: 'invalid', replayable: true, body: true, verdict: 'final' },
    { desc: 'client gone', kind: 'client', replayable: true, body: true, verdict: 'final' },
  ] as const;
  for (const v of verdicts) {
    it(`decides ${v.verdict} for ${v.desc}`, () => {
      expect(retryVerdict(v.kind, v.replayable, v.body)).to.equal(v.verdict);
    });
  }
});
