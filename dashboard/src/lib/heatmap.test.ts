import { describe, expect, it } from 'vitest';
import { buildHeatmap, intensity, rowKey } from './heatmap';
import { mkAlert } from '../test/make';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);
const web = { id: 'c1', pod: 'web-1', namespace: 'shop' };
const db = { id: 'c2', name: 'postgres' };

describe('buildHeatmap', () => {
  const now = T0 + 5 * 60_000 + 30_000; // 14:05:30, inside the last bucket
  const alerts = [
    mkAlert({ ms: T0 + 5 * 60_000 + 1_000 }), // host, last bucket
    mkAlert({ ms: T0 + 5 * 60_000 + 29_000 }), // host, last bucket
    mkAlert({ ms: T0 + 4 * 60_000, container: web }), // web, bucket 4 (exact boundary)
    mkAlert({ ms: T0 + 59_999, container: web }), // web, bucket 0 (last ms)
    mkAlert({ ms: T0 + 60_000, container: db }), // db, bucket 1 (first ms)
    mkAlert({ ms: T0 - 1 }), // before the window
    mkAlert({ ms: T0 + 6 * 60_000 }), // after 'now''s bucket
    mkAlert({ timestamp: 'garbage' }),
  ];
  const hm = buildHeatmap(alerts, { now, bucketMs: 60_000, buckets: 6, maxRows: 10 });

  it('aligns the window so that the last bucket holds now', () => {
    expect(hm.start).toBe(T0);
    expect(hm.buckets).toBe(6);
  });
  it('buckets per row and orders rows busiest first', () => {
    expect(hm.rows.map((r) => [r.label, r.counts, r.total])).toEqual([
      ['host', [0, 0, 0, 0, 0, 2], 2],
      ['shop/web-1', [1, 0, 0, 0, 1, 0], 2],
      ['postgres', [0, 1, 0, 0, 0, 0], 1],
    ]);
    expect(hm.rows[1]!.namespace).toBe('shop');
    expect(hm.max).toBe(2);
    expect(hm.placed).toBe(5);
    expect(hm.outside).toBe(3);
  });
  it('folds rows beyond maxRows into "others"', () => {
    const many = ['a', 'b', 'c', 'd'].map((p, i) => Array.from({ length: 4 - i }, () => mkAlert({ ms: T0, container: { id: p, pod: p } }))).flat();
    const h = buildHeatmap(many, { now: T0, bucketMs: 60_000, buckets: 2, maxRows: 3 });
    expect(h.rows.map((r) => [r.label, r.total, r.counts])).toEqual([
      ['a', 4, [0, 4]],
      ['b', 3, [0, 3]],
      ['2 others', 3, [0, 3]],
    ]);
    expect(h.folded).toBe(2);
  });
  it('is empty without alerts', () => {
    const h = buildHeatmap([], { now: T0, bucketMs: 10_000, buckets: 30, maxRows: 5 });
    expect(h.rows).toEqual([]);
    expect(h.max).toBe(0);
  });
  it('keys rows by container id, else label, else host', () => {
    expect(rowKey(mkAlert())).toBe('host');
    expect(rowKey(mkAlert({ container: web }))).toBe('c:c1');
    expect(rowKey(mkAlert({ container: { pod: 'p' } }))).toBe('l:p');
  });
  it('grades intensity on a square-root scale', () => {
    expect([0, 1, 2, 5, 10, 20].map((c) => intensity(c, 20))).toEqual([0, 1, 2, 2, 3, 4]);
    expect(intensity(3, 0)).toBe(0);
  });
});
