/**
 * Starts and stops real ZooKeeper servers (Debian package `zookeeper`) on 127.0.0.1 for tests,
 * the chaos suite and benchmarks. Each server gets its own dataDir and port; it is "ready" only when
 * `conf` reports our own dataDir (so a port clash never lets us talk to someone else's server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JARS = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar', '/usr/share/java/slf4j-api.jar'];

/** A running ZooKeeper server. */
export interface ZkServer {
  readonly port: number;
  readonly connectString: string;
  readonly dataDir: string;
  /** Stops the JVM (SIGTERM, then SIGKILL after 3 s). Keeps the dataDir. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port; `wipe` deletes the data first (sessions then expire). */
  restart(opts?: { wipe?: boolean }): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
}

export interface ZkServerOptions {
  port?: number;
  /** For an ensemble: `server.N` lines and this server's id. */
  ensemble?: { myid: number; servers: readonly string[] };
  baseDir?: string;
}

/** True when the Debian zookeeper package is installed. */
export function isZookeeperInstalled(): boolean {
  return existsSync('/usr/share/java/zookeeper.jar');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => { typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')); });
    });
  });
}

/** Sends a four-letter word and returns the answer ('' on any failure). */
export function fourLetter(port: number, word: string, timeoutMs = 500): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let out = '';
    const done = (): void => { sock.destroy(); resolve(out); };
    sock.setTimeout(timeoutMs, done);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (d) => { out += d.toString(); });
    sock.on('end', done);
    sock.on('error', done);
  });
}

/** Starts a ZooKeeper server and waits until it serves. */
export async function startZkServer(opts: ZkServerOptions = {}): Promise<ZkServer> {
  if (!isZookeeperInstalled()) throw new Error('ZooKeeper is not installed: apt-get install zookeeper (Debian package `zookeeper`)');
  const port = opts.port ?? await freePort();
  const dir = await mkdtemp(join(opts.baseDir ?? tmpdir(), 'had-zk-'));
  const dataDir = join(dir, 'data');
  let child: ChildProcess | undefined;

  async function writeConfig(): Promise<string> {
    await mkdir(dataDir, { recursive: true });
    const lines = [
      'tickTime=1000', `dataDir=${dataDir}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1',
      'maxClientCnxns=0', 'admin.enableServer=false', '4lw.commands.whitelist=*',
      'minSessionTimeout=2000', 'maxSessionTimeout=30000', 'initLimit=10', 'syncLimit=5',
    ];
    if (opts.ensemble) {
      lines.push(...opts.ensemble.servers);
      await writeFile(join(dataDir, 'myid'), `${opts.ensemble.myid}\n`);
    }
    const cfg = join(dir, 'zoo.cfg');
    await writeFile(cfg, lines.join('\n') + '\n');
    const log4j = join(dir, 'log4j.properties');
    await writeFile(log4j, 'log4j.rootLogger=WARN, F\nlog4j.appender.F=org.apache.log4j.FileAppender\n' +
      `log4j.appender.F.File=${join(dir, 'zookeeper.log')}\nlog4j.appender.F.layout=org.apache.log4j.PatternLayout\n` +
      'log4j.appender.F.layout.ConversionPattern=%d %p [%t] %c{1}: %m%n\n');
    return cfg;
  }

  async function launch(): Promise<void> {
    const cfg = await writeConfig();
    const cp = JARS.filter((j) => existsSync(j)).join(':');
    child = spawn('java', ['-Xmx256m', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`, '-Dzookeeper.jmx.log4j.disable=true',
      '-cp', cp, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg], { stdio: 'ignore', detached: false });
    const proc = child;
    let exited = false;
    proc.once('exit', () => { exited = true; });
    const deadline = Date.now() + 30000;
    const wantMode = !opts.ensemble;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`ZooKeeper on port ${port} exited during start (see ${dir}/zookeeper.log)`);
      const conf = await fourLetter(port, 'conf', 300);
      if (conf.includes(dataDir)) {
        if (!wantMode) return;
        const srvr = await fourLetter(port, 'srvr', 300);
        if (srvr.includes('Mode:')) return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`ZooKeeper on port ${port} did not start within 30 s`);
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      proc.once('exit', () => { clearTimeout(t); resolve(); });
      proc.kill(signal);
    });
  }

  process.once('exit', () => { child?.kill('SIGKILL'); });
  await launch();
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    dataDir,
    stop,
    async restart(o = {}) {
      await stop();
      if (o.wipe) await rm(dataDir, { recursive: true, force: true });
      await launch();
    },
    async destroy() {
      await stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
