/**
 * fastify 5 + @fastify/reply-from, round robin over the backends (one reply-from undici pool per
 * backend through an absolute source URL). Run as `node fastify-proxy.mjs '{"port":P,"backends":[…]}'`.
 */
import Fastify from 'fastify';
import replyFrom from '@fastify/reply-from';

interface Config { readonly port: number; readonly backends: readonly string[] }
const config = JSON.parse(process.argv[2] ?? '{}') as Config;
let next = 0;

const app = Fastify({ logger: false, keepAliveTimeout: 120_000 });
// Proxy bodies as streams instead of parsing them (reply-from's documented setup).
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_req, _payload, done) => done(null));
await app.register(replyFrom, { undici: { connections: 256, pipelining: 1 } });
app.all('/*', (req, reply) => {
  const base = config.backends[next]!;
  next = (next + 1) % config.backends.length;
  return reply.from(base + req.url);
});
await app.listen({ port: config.port, host: '127.0.0.1' });
process.on('SIGTERM', () => process.exit(0));
