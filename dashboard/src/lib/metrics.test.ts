import { describe, expect, it } from 'vitest';
import { byName, computeRates, formatDuration, formatRate, gauge, parseMetrics, parseSampleLine, seriesKey, snapshot } from './metrics';

const TEXT = `# HELP rtmon_events_total Events by type.
# TYPE rtmon_events_total counter
rtmon_events_total{type="exec"} 120
rtmon_events_total{type="connect"} 40
# TYPE rtmon_alerts_total counter
rtmon_alerts_total{rule="reverse_shell"} 3
rtmon_alerts_total{rule="we\\"ird\\\\na\\nme"} 1
rtmon_drops_total{cause="ringbuf"} 0
rtmon_ringbuf_fill_ratio 0.125
rtmon_processes 412 1764427000000
rtmon_uptime_seconds 3725.5
some_histogram_bucket{le="+Inf"} 7
nan_metric NaN
`;

describe('parseMetrics', () => {
  it('parses names, labels, values, types; skips comments and timestamps', () => {
    const r = parseMetrics(TEXT);
    expect(r.errors).toEqual([]);
    expect(r.types).toEqual({ rtmon_events_total: 'counter', rtmon_alerts_total: 'counter' });
    expect(r.samples).toHaveLength(10);
    expect(r.samples[0]).toEqual({ name: 'rtmon_events_total', labels: { type: 'exec' }, value: 120 });
    expect(r.samples[3]!.labels).toEqual({ rule: 'we"ird\\na\nme' });
    expect(gauge(r.samples, 'rtmon_ringbuf_fill_ratio')).toBe(0.125);
    expect(gauge(r.samples, 'rtmon_processes')).toBe(412);
    expect(gauge(r.samples, 'rtmon_uptime_seconds')).toBe(3725.5);
    expect(gauge(r.samples, 'missing')).toBeNull();
    expect(byName(r.samples, 'rtmon_events_total').map((s) => s.labels['type'])).toEqual(['exec', 'connect']);
    expect(r.samples[8]!.labels).toEqual({ le: '+Inf' });
    expect(Number.isNaN(r.samples[9]!.value)).toBe(true);
  });
  it('accepts several labels, spaces and a trailing comma, CRLF', () => {
    expect(parseSampleLine('m{a="1", b="x y",} 2')).toEqual({ name: 'm', labels: { a: '1', b: 'x y' }, value: 2 });
    expect(parseMetrics('m 1\r\nn 2e3\r\n').samples.map((s) => s.value)).toEqual([1, 2000]);
    expect(parseSampleLine('x{} -1.5')).toEqual({ name: 'x', labels: {}, value: -1.5 });
  });
  it('reports malformed lines by number and keeps the good ones', () => {
    const r = parseMetrics('good 1\nbad{a="1" 2\n{x="1"} 3\nno_value\nv abc\nlabel{a=1} 1\nunterminated{a="x} 1\nok 2 notatime\nfine 3\n');
    expect(r.samples.map((s) => s.name)).toEqual(['good', 'fine']);
    expect(r.errors).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('rates', () => {
  const s1 = snapshot(parseMetrics('rtmon_events_total{type="exec"} 100\nrtmon_events_total{type="fork"} 50\nrtmon_drops_total{cause="ringbuf"} 10\n').samples, 1000);
  const s2 = snapshot(parseMetrics('rtmon_events_total{type="exec"} 130\nrtmon_events_total{type="fork"} 20\nrtmon_drops_total{cause="ringbuf"} 10\nnew_total 5\n').samples, 4000);
  it('computes per-second deltas over the poll interval', () => {
    const r = computeRates(s1, s2);
    expect(r.get(seriesKey('rtmon_events_total', { type: 'exec' }))?.rate).toBe(10);
    expect(r.get(seriesKey('rtmon_events_total', { type: 'exec' }))?.total).toBe(130);
    expect(r.get(seriesKey('rtmon_drops_total', { cause: 'ringbuf' }))?.rate).toBe(0);
  });
  it('treats a counter that went down as a restart from zero', () => {
    expect(computeRates(s1, s2).get(seriesKey('rtmon_events_total', { type: 'fork' }))?.rate).toBeCloseTo(20 / 3, 10);
  });
  it('has no rate for new series, a first poll, or a non-positive interval', () => {
    expect(computeRates(s1, s2).has('new_total')).toBe(false);
    expect(computeRates(null, s2).size).toBe(0);
    expect(computeRates(s2, { ...s2 }).size).toBe(0);
  });
  it('builds stable series keys', () => {
    expect(seriesKey('m', { b: '2', a: '1' })).toBe('m{a="1",b="2"}');
    expect(seriesKey('m', {})).toBe('m');
  });
  it('formats rates and durations', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.5)).toBe('0.50/s');
    expect(formatRate(3.25)).toBe('3.3/s');
    expect(formatRate(42.4)).toBe('42/s');
    expect(formatRate(1500)).toBe('1.5k/s');
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3725)).toBe('1h 02m');
    expect(formatDuration(-1)).toBe('-');
  });
});
