/**
 * A Prometheus histogram for the per-request hot path. prom-client's own Histogram validates and
 * hashes the label set on every `observe()`, even through a child from `labels()`, and looks the
 * bucket up by a number-to-string property key; here a series is resolved once and an observation
 * is a short bucket scan plus three additions on plain numbers. The metric registers in a
 * prom-client Registry like any other (it implements the registry's `get()` / `reset()` contract),
 * so `/metrics` text and the workers' aggregation (`aggregator: 'sum'`) treat it as a histogram.
 */

/** The part of a prom-client Registry used here (prom-client itself is imported by metrics.ts only). */
export interface MetricRegistry {
  registerMetric(metric: never): void;
}

/** One labelled series: what the hot path keeps and calls. */
export interface HistogramSeries {
  /** Records one value (seconds for a latency). Non-finite values are ignored. */
  observe(value: number): void;
}

/** Configuration of a {@link FastHistogram}. */
export interface FastHistogramConfig<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  /** Upper bounds, strictly increasing and finite; `+Inf` is implied. */
  readonly buckets: readonly number[];
  readonly registers: readonly MetricRegistry[];
}

/** One value of prom-client's JSON form of a histogram. */
interface HistogramValue {
  readonly metricName: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

interface Series extends HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly bounds: readonly number[];
  /** Per bucket (not cumulative), the last one for values above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

function observeSeries(this: Series, value: number): void {
  if (!Number.isFinite(value)) return;
  const bounds = this.bounds;
  let i = 0;
  while (i < bounds.length && value > (bounds[i] as number)) i++;
  this.counts[i] = (this.counts[i] as number) + 1;
  this.sum += value;
  this.count++;
}

/** A histogram whose series are resolved once (`labels()`) and observed cheaply. */
export class FastHistogram<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly labelNames: readonly L[];
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, Series>();

  constructor(config: FastHistogramConfig<L>) {
    const { name, help, labelNames, buckets } = config;
    for (let i = 0; i < buckets.length; i++) {
      const b = buckets[i] as number;
      if (!Number.isFinite(b) || (i > 0 && b <= (buckets[i - 1] as number))) {
        throw new Error(`${name}: buckets must be finite and strictly increasing`);
      }
    }
    if (labelNames.includes('le' as L)) throw new Error(`${name}: "le" is reserved for histogram buckets`);
    this.name = name;
    this.help = help;
    this.labelNames = [...labelNames];
    this.bounds = [...buckets];
    for (const registry of config.registers) registry.registerMetric(this as never);
  }

  /** The series of one label set, created on first use; keep it rather than calling this per value. */
  labels(values: Readonly<Record<L, string>>): HistogramSeries {
    const key = this.labelNames.map((n) => {
      const v = values[n];
      if (typeof v !== 'string') throw new Error(`${this.name}: label "${n}" is missing`);
      return v;
    }).join('\u0000');
    let series = this.series.get(key);
    if (series === undefined) {
      const labels: Record<string, string> = {};
      for (const n of this.labelNames) labels[n] = values[n];
      series = {
        labels, bounds: this.bounds, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0,
        observe: observeSeries,
      };
      this.series.set(key, series);
    }
    return series;
  }

  /** Zeroes every series (prom-client's `Registry#resetMetrics`). Series handles stay valid. */
  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }

  /** prom-client's JSON form: cumulative `_bucket` values with `le`, then `_sum` and `_count`. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: HistogramValue[] }> {
    const values: HistogramValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += s.counts[i] as number;
        const le = i < this.bounds.length ? (this.bounds[i] as number) : '+Inf';
        values.push({ metricName: bucket, labels: { le, ...s.labels }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels: { ...s.labels }, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...s.labels }, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
