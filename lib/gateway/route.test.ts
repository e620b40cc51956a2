import { expect } from 'chai';
import { parseRoute, parseRouteUnder } from './route.js';

const P = '/gateway/';

describe('parseRoute', () => {
  const ok = [
    { desc: 'service root', url: '/gateway/sandbox/whoami', want: ['sandbox', 'whoami', '', ''] },
    { desc: 'trailing slash', url: '/gateway/sandbox/whoami/', want: ['sandbox', 'whoami', '/', ''] },
    { desc: 'rest and query', url: '/gateway/t/webhdfs/v1/tmp?op=LISTSTATUS&x=%2F', want: ['t', 'webhdfs', '/v1/tmp', '?op=LISTSTATUS&x=%2F'] },
    { desc: 'query right after the service', url: '/gateway/t/hive?a=1', want: ['t', 'hive', '', '?a=1'] },
    { desc: 'dots inside names', url: '/gateway/t/s/a.b/..c/.d', want: ['t', 's', '/a.b/..c/.d', ''] },
    { desc: 'other escapes', url: '/gateway/t/s/a%20b%41', want: ['t', 's', '/a%20b%41', ''] },
  ];
  for (const c of ok) {
    it(`splits ${c.desc}`, () => {
      const r = parseRoute(c.url, P);
      expect(r.kind).to.equal('ok');
      if (r.kind === 'ok') expect([r.topology, r.service, r.rest, r.search]).to.deep.equal(c.want);
    });
  }

  const invalid = [
    { desc: 'a .. segment', url: '/gateway/t/s/../other/x' },
    { desc: 'a . segment', url: '/gateway/t/./s' },
    { desc: 'a trailing ..', url: '/gateway/t/s/..' },
    { desc: 'an encoded dot', url: '/gateway/t/s/%2e%2E/x' },
    { desc: 'a half-encoded dot segment', url: '/gateway/t/s/.%2e/x' },
    { desc: 'an encoded slash', url: '/gateway/t/s%2Fother/x' },
    { desc: 'an encoded backslash', url: '/gateway/t/s/%5cx' },
    { desc: 'an encoded NUL', url: '/gateway/t/s/%00' },
    { desc: 'a backslash', url: '/gateway/t/s\\..\\x' },
    { desc: 'an empty segment', url: '/gateway//t/s' },
    { desc: 'a double slash in the rest', url: '/gateway/t/s/a//b' },
    { desc: 'an absolute-form target', url: 'http://h/gateway/t/s' },
    { desc: 'a NUL', url: '/gateway/t/s/\u0000' },
  ];
  for (const c of invalid) {
    it(`refuses ${c.desc}`, () => { expect(parseRoute(c.url, P).kind).to.equal('invalid'); });
  }

  it('does not look at the query string for path tricks', () => {
    expect(parseRoute('/gateway/t/s/x?p=../..%2f', P).kind).to.equal('ok');
  });

  for (const url of ['/', '/gateway', '/gateway/', '/gateway/t', '/gateway/t/', '/other/t/s', '/gatewayx/t/s']) {
    it(`gives not-found for ${url}`, () => { expect(parseRoute(url, P).kind).to.equal('not-found'); });
  }

  describe('parseRouteUnder (the previous request\'s service first)', () => {
    const under = [
      '/gateway/t/s', '/gateway/t/s/', '/gateway/t/s?a=1', '/gateway/t/s/v1/x?op=A&b=%2F', '/gateway/t/s/x?p=../..%2f',
      '/gateway/t/s/../other/x', '/gateway/t/s/a//b', '/gateway/t/s/%2e%2E/x', '/gateway/t/s/%5cx', '/gateway/t/s/%00',
      '/gateway/t/s/\\..\\x', '/gateway/t/s/\u0000', '/gateway/t/s/..', '/gateway/t/s/.', '/gateway/t/s/x%2', '/gateway/t/s/x%2?e',
    ];
    for (const url of under) {
      it(`gives what parseRoute gives for ${JSON.stringify(url)}`, () => {
        const full = parseRoute(url, P);
        const fast = parseRouteUnder(url, '/gateway/t/s', 't', 's');
        expect(fast?.kind).to.equal(full.kind);
        if (full.kind === 'ok') expect(fast).to.deep.equal(full);
      });
    }

    for (const url of ['/gateway/t/sx', '/gateway/t/s2/a', '/gateway/t/s\\..\\x', '/gateway/t', '/gateway/u/s', '/other', '']) {
      it(`leaves ${JSON.stringify(url)} to parseRoute`, () => {
        expect(parseRouteUnder(url, '/gateway/t/s', 't', 's')).to.equal(undefined);
      });
    }
  });
});
