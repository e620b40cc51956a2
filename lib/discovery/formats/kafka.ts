/**
 * `kafka`: broker registrations, JSON data of `/brokers/ids/*` → the Confluent REST proxy on the
 * broker host, `http://{host}:8082` (Knox). Brokers configured with `listeners` register
 * `"host": null`; then the host of the first `endpoints` entry is used instead of `null`.
 */
import { isPlausibleHost, urlHost } from './backend-url.js';
import { dataJsonObject } from './parse-children.js';
import type { ChildOutcome, ZnodeChild } from './types.js';

/** The Kafka REST proxy's default port; Knox hard-codes it. */
export const KAFKA_REST_PORT = 8082;

/** The host of an endpoint such as `PLAINTEXT://h:9092`, `SASL_SSL://[::1]:9093`; undefined if none. */
export function endpointHost(endpoint: unknown): string | undefined {
  if (typeof endpoint !== 'string') return undefined;
  const m = /^[A-Za-z0-9_-]+:\/\/(.*):(\d+)$/.exec(endpoint.trim());
  const host = m?.[1]?.replace(/^\[(.*)\]$/, '$1');
  return host === undefined || host === '' ? undefined : host;
}

/** One broker → `http://{host}:8082`. */
export function parseKafkaChild(child: ZnodeChild): ChildOutcome {
  const json = dataJsonObject(child);
  if (typeof json === 'string') return { kind: 'skip', reason: json };
  const host = typeof json['host'] === 'string' && json['host'].trim() !== ''
    ? json['host'].trim()
    : Array.isArray(json['endpoints']) ? endpointHost(json['endpoints'][0]) : undefined;
  if (host === undefined) return { kind: 'skip', reason: 'no host and no usable endpoints' };
  if (!isPlausibleHost(host)) return { kind: 'skip', reason: 'bad broker host' };
  return { kind: 'url', url: `http://${urlHost(host)}:${KAFKA_REST_PORT}` };
}
