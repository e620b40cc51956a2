import { expect } from 'chai';
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { FastHistogram } from './latency-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const VALUES = [0.0004, 0.001, 0.0011, 0.05, 0.5, 3, 0.009];

function pair(): { fast: FastHistogram<'topology' | 'service'>; fastReg: Registry; reference: Histogram<'topology' | 'service'>; refReg: Registry } {
  const fastReg = new Registry();
  const refReg = new Registry();
  const config = { name: 'x_seconds', help: 'latency', labelNames: ['topology', 'service'] as const, buckets: BUCKETS };
  return {
    fast: new FastHistogram({ ...config, registers: [fastReg] }), fastReg,
    reference: new Histogram({ ...config, registers: [refReg] }), refReg,
  };
}

describe('core/latency-histogram', () => {
  it('renders exactly what a prom-client Histogram renders for the same observations', async () => {
    const { fast, fastReg, reference, refReg } = pair();
    const a = fast.labels({ topology: 'sandbox', service: 'hive' });
    const b = fast.labels({ topology: 'sandbox', service: 'webhdfs' });
    const ra = reference.labels({ topology: 'sandbox', service: 'hive' });
    const rb = reference.labels({ topology: 'sandbox', service: 'webhdfs' });
    for (const v of VALUES) { a.observe(v); ra.observe(v); }
    b.observe(0.02);
    rb.observe(0.02);
    expect(await fastReg.metrics()).to.equal(await refReg.metrics());
    expect(await fastReg.metrics()).to.include('x_seconds_bucket{le="0.001",topology="sandbox",service="hive"} 2');
  });

  it('returns the same series for the same labels, and ignores non-finite values', async () => {
    const { fast, fastReg } = pair();
    const s = fast.labels({ topology: 't', service: 's' });
    expect(fast.labels({ service: 's', topology: 't' })).to.equal(s);
    s.observe(Number.NaN);
    s.observe(Number.POSITIVE_INFINITY);
    s.observe(0.5);
    const json = await fastReg.getMetricsAsJSON();
    const count = json[0]!.values.find((v) => (v as { metricName?: string }).metricName === 'x_seconds_count');
    expect(count?.value).to.equal(1);
  });

  it('reset() zeroes the series and keeps the handles working', async () => {
    const { fast, fastReg } = pair();
    const s = fast.labels({ topology: 't', service: 's' });
    s.observe(0.5);
    fastReg.resetMetrics();
    s.observe(2);
    const text = await fastReg.metrics();
    expect(text).to.include('x_seconds_count{topology="t",service="s"} 1');
    expect(text).to.include('x_seconds_sum{topology="t",service="s"} 2');
    expect(text).to.include('x_seconds_bucket{le="1",topology="t",service="s"} 0');
  });

  it('is summed across registries by the workers\' aggregation', async () => {
    const one = pair();
    const two = pair();
    one.fast.labels({ topology: 't', service: 's' }).observe(0.005);
    two.fast.labels({ topology: 't', service: 's' }).observe(0.5);
    const merged = AggregatorRegistry.aggregate([await one.fastReg.getMetricsAsJSON(), await two.fastReg.getMetricsAsJSON()]);
    const text = await merged.metrics();
    expect(text).to.include('x_seconds_bucket{le="0.01",topology="t",service="s"} 1');
    expect(text).to.include('x_seconds_bucket{le="+Inf",topology="t",service="s"} 2');
    expect(text).to.include('x_seconds_count{topology="t",service="s"} 2');
  });

  it('refuses unordered buckets, an "le" label and missing label values', () => {
    const registers: Registry[] = [];
    expect(() => new FastHistogram({ name: 'a', help: 'h', labelNames: [], buckets: [1, 0.5], registers })).to.throw(/strictly increasing/);
    expect(() => new FastHistogram({ name: 'a', help: 'h', labelNames: ['le'], buckets: [1], registers })).to.throw(/reserved/);
    const h = new FastHistogram({ name: 'a', help: 'h', labelNames: ['x', 'y'], buckets: [1], registers });
    expect(() => h.labels({ x: '1' } as { x: string; y: string })).to.throw(/label "y" is missing/);
  });
});
