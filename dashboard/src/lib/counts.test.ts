import { describe, expect, it } from 'vitest';
import { buildCounts, groupOf, weightOf } from './counts';
import { mkAlert } from '../test/make';

const now = Date.UTC(2026, 10, 29, 12, 0, 30);
const min = 60_000;
const at = (minsAgo: number) => now - minsAgo * min;
const list = [
  mkAlert({ rule_id: 'reverse_shell', severity: 'critical', host: 'n1', ms: at(0) }),
  mkAlert({ rule_id: 'reverse_shell', severity: 'critical', host: 'n2', ms: at(0) }),
  mkAlert({ rule_id: 'suspicious_exec', severity: 'low', host: 'n1', ms: at(2) }),
  mkAlert({ rule_id: 'suspicious_exec', severity: 'medium', host: 'n1', ms: at(2) }),
  mkAlert({ rule_id: 'old', severity: 'high', host: 'n1', ms: at(60) }), // outside the window
  { ...mkAlert({ rule_id: 'suspicious_exec', severity: 'low', host: 'n2', ms: at(1) }), event: undefined, summary: { kind: 'fold', count: 40 } },
  { ...mkAlert({ rule_id: 'reverse_shell', severity: 'critical', ms: at(0) }), kind: 'incident', incident: { state: 'open' } },
];
const o = { now, bucketMs: min, buckets: 5, maxRows: 8 };

describe('buildCounts', () => {
  it('by rule: per-minute totals stacked by severity; a summary counts its repeats; incident updates are not alerts', () => {
    const c = buildCounts(list, 'rule', o);
    expect(c.rows.map((r) => [r.key, r.total, r.counts])).toEqual([
      ['suspicious_exec', 42, [0, 0, 2, 40, 0]],
      ['reverse_shell', 2, [0, 0, 0, 0, 2]],
    ]);
    expect(c.rows[0]!.stacks[2]).toEqual([0, 1, 1, 0, 0]);
    expect(c.rows[1]!.stacks[4]).toEqual([0, 0, 0, 0, 2]);
    expect(c.max).toBe(40);
    expect(c.placed).toBe(44);
  });
  it('by severity: most severe first; by host', () => {
    expect(buildCounts(list, 'severity', o).rows.map((r) => [r.key, r.total])).toEqual([
      ['critical', 2],
      ['medium', 1],
      ['low', 41],
    ]);
    expect(buildCounts(list, 'host', o).rows.map((r) => [r.key, r.total])).toEqual([
      ['n2', 41],
      ['n1', 3],
    ]);
  });
  it('folds rows past maxRows into "N others" keeping the sums', () => {
    const many = Array.from({ length: 5 }, (_, i) => mkAlert({ rule_id: `r${i}`, ms: at(0) }));
    const c = buildCounts(many, 'rule', { ...o, maxRows: 3 });
    expect(c.rows.map((r) => [r.key, r.total])).toEqual([
      ['r0', 1],
      ['r1', 1],
      ['3 others', 3],
    ]);
  });
  it('helpers', () => {
    expect(groupOf(mkAlert({ host: undefined }), 'host')).toBe('(unknown host)');
    expect(groupOf(mkAlert({ severity: 'weird' }), 'severity')).toBe('info');
    expect(weightOf(mkAlert())).toBe(1);
    expect(weightOf({ ...mkAlert(), event: undefined, summary: { count: -3 } })).toBe(1);
  });
});
