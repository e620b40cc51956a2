/**
 * Opens many keep-alive client connections to a proxy, one request on each, and leaves them idle;
 * used to measure what an idle connection costs the proxy in memory.
 */
import { Agent, get } from 'node:http';

/** The client side of {@link openIdleConnections}. */
export interface IdleConnections {
  /** Sockets that completed their first request. */
  readonly opened: number;
  /** Sends one more request on every pooled socket; returns how many reused an idle connection. */
  touch(): Promise<number>;
  close(): void;
}

function getOnce(agent: Agent, url: string, headers: Readonly<Record<string, string>>): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { agent, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode !== undefined && res.statusCode < 400));
    });
    req.setTimeout(20_000, () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/** Opens `count` keep-alive connections to `url` (one GET each, all concurrent). */
export async function openIdleConnections(url: string, count: number, headers: Readonly<Record<string, string>> = {}): Promise<IdleConnections> {
  const agent = new Agent({ keepAlive: true, maxSockets: count, maxFreeSockets: count, keepAliveMsecs: 60_000, timeout: 120_000 });
  const ok = await Promise.all(Array.from({ length: count }, () => getOnce(agent, url, headers)));
  return {
    opened: ok.filter(Boolean).length,
    touch: async () => {
      const reused = await Promise.all(
        Array.from({ length: count }, () =>
          new Promise<boolean>((resolve) => {
            const req = get(url, { agent, headers }, (res) => { res.resume(); res.once('end', () => resolve(req.reusedSocket)); });
            req.once('error', () => resolve(false));
          }),
        ),
      );
      return reused.filter(Boolean).length;
    },
    close: () => agent.destroy(),
  };
}
