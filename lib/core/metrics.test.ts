import { expect } from 'chai';
import { deferredCounter, failoversTotal, metricsRegistry, noFallbackTotal } from './metrics.js';

async function sampleOf(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const json = await metricsRegistry.getMetricsAsJSON();
  const metric = json.find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value;
}

describe('core/metrics: deferred counters', () => {
  it('shows every increment to the next reader, in text and JSON, without waiting for a turn', async () => {
    const labels = { topology: 'metrics-test', service: 'DEFERRED' };
    const child = deferredCounter(noFallbackTotal.labels(labels));
    const before = (await sampleOf('hadispatch_no_fallback_502_total', labels)) ?? 0;
    child.inc();
    child.inc();
    child.inc();
    expect(await sampleOf('hadispatch_no_fallback_502_total', labels)).to.equal(before + 3);
    child.inc();
    const text = await metricsRegistry.metrics();
    expect(text).to.include(`hadispatch_no_fallback_502_total{topology="metrics-test",service="DEFERRED"} ${before + 4}`);
  });

  it('flushes increments of every counter when any one of them is read', async () => {
    const labels = { topology: 'metrics-test', service: 'DEFERRED', reason: 'timeout' };
    const child = deferredCounter(failoversTotal.labels(labels));
    const before = (await failoversTotal.get()).values.find((v) => v.labels.topology === 'metrics-test')?.value ?? 0;
    child.inc();
    const after = (await noFallbackTotal.get(), await failoversTotal.get()).values.find((v) => v.labels.topology === 'metrics-test');
    expect(after?.value).to.equal(before + 1);
  });
});
