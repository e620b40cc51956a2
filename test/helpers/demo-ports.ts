/**
 * The demo backends of `npm start` listen on fixed ports (50070, 50071), which lie inside Linux's
 * ephemeral range (32768–60999). During a test run thousands of client sockets and port-0 servers
 * take ephemeral ports, so one of them can hold a demo port just when the `npm start` test needs
 * it (CI failed once that way). The global fixture therefore binds the demo ports before anything
 * else runs — the kernel never hands out a bound port as an ephemeral one — and the `npm start`
 * test releases them right before it spawns the gateway.
 */
import { createServer, type Server } from 'node:net';
import { DEMO_BACKENDS } from '../../lib/gateway/index.js';

const held: Server[] = [];
const unavailable: number[] = [];

function hold(port: number): Promise<void> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => { unavailable.push(port); resolve(); });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => { held.push(server); resolve(); });
  });
}

/** Binds every demo port that is free now; ports already taken are remembered, not an error. */
export async function reserveDemoPorts(): Promise<void> {
  for (const b of DEMO_BACKENDS) await hold(b.port);
}

/** Frees the reserved demo ports; returns the ones that were already taken by someone else. */
export async function releaseDemoPorts(): Promise<readonly number[]> {
  const servers = held.splice(0);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return [...unavailable];
}
