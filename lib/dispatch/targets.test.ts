import { expect } from 'chai';
import { locateBackend, parseTarget, type Target } from './targets.js';

const target = (url: string): Target => parseTarget(url) as Target;

describe('dispatch: Location matching (locateBackend)', () => {
  const targets = [target('http://nn1.example.com/webhdfs'), target('https://rm.example.com:8090/ws'), target('https://secure.example.com/api')];
  const cases: readonly { desc: string; location: string; url: string | undefined; rest?: string }[] = [
    { desc: 'the origin as normalised', location: 'http://nn1.example.com/webhdfs/v1/x?op=OPEN', url: 'http://nn1.example.com/webhdfs', rest: '/v1/x?op=OPEN' },
    { desc: 'the default port spelt out (regression: not rewritten)', location: 'http://nn1.example.com:80/webhdfs/v1/x', url: 'http://nn1.example.com/webhdfs', rest: '/v1/x' },
    { desc: 'the https default port spelt out', location: 'https://secure.example.com:443/api?x=1', url: 'https://secure.example.com/api', rest: '?x=1' },
    { desc: 'host names in another case', location: 'HTTP://NN1.example.com:80/webhdfs', url: 'http://nn1.example.com/webhdfs', rest: '' },
    { desc: 'another port on the same host', location: 'http://nn1.example.com:8080/webhdfs/v1', url: undefined },
    { desc: 'a longer host name with the same start', location: 'http://nn1.example.com.evil/webhdfs', url: undefined },
    { desc: 'the http default port on an https backend', location: 'https://secure.example.com:80/api', url: undefined },
    { desc: 'an explicit non-default port as listed', location: 'https://rm.example.com:8090/ws/v1/cluster', url: 'https://rm.example.com:8090/ws', rest: '/v1/cluster' },
    { desc: 'a path outside the base path', location: 'http://nn1.example.com:80/other', url: undefined },
  ];
  for (const c of cases) {
    it(`matches ${c.desc}: ${c.url === undefined ? 'no backend' : 'its backend'}`, () => {
      const found = locateBackend(c.location, targets);
      expect(found?.target.url).to.equal(c.url);
      if (c.rest !== undefined) expect(found?.rest).to.equal(c.rest);
    });
  }
});
