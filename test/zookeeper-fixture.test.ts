import { expect } from 'chai';
import { fourLetter } from './helpers/zk-server.js';

describe('test ZooKeeper fixture', () => {
  it('serves a real ZooKeeper at HAD_TEST_ZK', async function () {
    const zk = process.env['HAD_TEST_ZK'];
    if (!zk) {
      if (process.env['CI']) throw new Error('HAD_TEST_ZK is not set in CI');
      this.skip();
    }
    const port = Number(zk.split(':')[1]);
    expect(await fourLetter(port, 'ruok')).to.equal('imok');
    expect(await fourLetter(port, 'srvr')).to.include('Mode: standalone');
  });
});
