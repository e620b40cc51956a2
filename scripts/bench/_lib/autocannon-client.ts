/**
 * Load client used when wrk is not installed: runs autocannon's programmatic API in its own
 * (pinnable) process and prints one JSON line `{requests, durationS, p50Ms, p99Ms, errors, non2xx}`.
 * Run as `node autocannon-client.mjs '{"url":…,"connections":64,"durationS":10,"headers":{…}}'`.
 */
import autocannon from 'autocannon';

interface Config {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly headers: Record<string, string>;
}
const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.durationS,
  headers: config.headers,
  pipelining: 1,
});
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    durationS: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }) + '\n',
);
