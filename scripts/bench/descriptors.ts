/**
 * Descriptor load + validate time: a generated `<ha>` descriptor with 1,000 services (half static
 * with two URLs, half ZooKeeper-backed, every Knox attribute written plus some extensions), parsed
 * and validated by parseDescriptor; median of several runs after warm-up. Also the Knox-style store.
 */
import { performance } from 'node:perf_hooks';
import { makeServiceConfig, parseDescriptor, storeDescriptor } from '../../lib/descriptor/index.js';
import { markdownTable, median, percentile, type BenchSection } from './types.js';

const SERVICES = 1000;
const RUNS = 15;
const WARMUP = 3;

function generatedXml(count: number): string {
  const services = Array.from({ length: count }, (_, i) => makeServiceConfig(i % 2 === 0
    ? { name: `SVC${i}`, enableLoadBalancing: true, enableStickySession: true, urls: [`http://h${i}a.example.com:8080/x`, `http://h${i}b.example.com:8080/x`] }
    : { name: `HIVE${i}`, zookeeperEnsemble: '127.0.0.1:2181', zookeeperNamespace: `hs2-${i}`, connectTimeout: 2000, loadBalancingPolicy: 'leastRequests' }));
  return storeDescriptor(services);
}

function timeMs(fn: () => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const start = performance.now();
    fn();
    if (i >= WARMUP) times.push(performance.now() - start);
  }
  return times;
}

/** The descriptor benchmark. */
export async function bench(): Promise<BenchSection> {
  const xml = generatedXml(SERVICES);
  let count = 0;
  const load = timeMs(() => {
    const r = parseDescriptor(xml, 'bench.xml');
    if (!r.config || r.config.services.length !== SERVICES) throw new Error('generated descriptor did not load');
    count = r.config.services.length;
  });
  const services = parseDescriptor(xml, 'bench.xml').config!.services;
  const store = timeMs(() => { storeDescriptor(services); });
  const fmt = (x: number): string => x.toFixed(1);
  return {
    title: `Descriptor load + validate (${count.toLocaleString('en')} services)`,
    table: markdownTable(['operation', 'size', 'median ms', 'p90 ms', 'runs'], [
      ['parseDescriptor (load + validate)', `${(xml.length / 1024).toFixed(0)} KiB`, fmt(median(load)), fmt(percentile(load, 90)), RUNS],
      ['storeDescriptor', `${SERVICES} services`, fmt(median(store)), fmt(percentile(store, 90)), RUNS],
    ]),
    notes: `Target: well under 1 s for ${SERVICES} services. ${WARMUP} warm-up runs are not counted.`,
  };
}
