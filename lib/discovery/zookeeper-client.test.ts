import { expect } from 'chai';
import { checkConnectString, createZkClient } from './zookeeper-client.js';

const OPTIONS = { sessionTimeoutMs: 2000, callTimeoutMs: 500 };

describe('discovery: ZooKeeper connect strings', () => {
  const good = ['zk1', 'zk1:2181', 'zk1:2181,zk2:2182,zk3', '10.0.0.1:1/chroot', 'zk_1.example.com:65535/a/b'];
  for (const s of good) {
    it(`accepts ${s}`, () => { expect(() => { checkConnectString(s); }).not.to.throw(); });
  }

  const bad = ['', 'zk1:99999', 'zk1:70000', 'zk1:0', 'h:notaport', 'zk1:2181,', 'zk 1:2181', 'zk1:2181//x'];
  for (const s of bad) {
    it(`refuses ${JSON.stringify(s)} with HAD_ERR_CONFIG_INVALID`, () => {
      expect(() => { checkConnectString(s); }).to.throw().with.property('code', 'HAD_ERR_CONFIG_INVALID');
    });
  }

  // Regression: a port above 65535 reached net.connect inside the library's timer and the
  // RangeError (ERR_SOCKET_BAD_PORT) took the whole gateway down on a descriptor reload.
  it('refuses a client for an out-of-range port up front instead of crashing later', async () => {
    expect(() => createZkClient('127.0.0.1:99999', OPTIONS)).to.throw().with.property('code', 'HAD_ERR_CONFIG_INVALID');
    await new Promise<void>((resolve) => { setImmediate(resolve); });
  });
});
