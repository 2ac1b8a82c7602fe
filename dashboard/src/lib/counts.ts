// Alert counts over time grouped by rule, severity or host (as Falcosidekick-UI shows): rows of
// time buckets ending at 'now', each bucket split by severity for stacked bars. Pure.
import { SEVERITIES, type Alert } from '../types';
import { alertTimeMs, isIncidentUpdate, isSummary, severityRank } from './alert';

export const COUNT_GROUPS = ['rule', 'severity', 'host'] as const;
export type CountGroup = (typeof COUNT_GROUPS)[number];

export interface CountRow {
  key: string;
  /** per bucket, per severity rank (info..critical) */
  stacks: number[][];
  /** per bucket total */
  counts: number[];
  total: number;
}

export interface Counts {
  start: number;
  bucketMs: number;
  buckets: number;
  rows: CountRow[];
  /** the largest bucket total over all rows (0 when empty) */
  max: number;
  /** alerts counted (a summary counts its repeats) */
  placed: number;
}

export interface CountOptions {
  now: number;
  bucketMs: number;
  buckets: number;
  maxRows: number;
}

/** The group of an alert; null for what is not an alert (incident updates). */
export function groupOf(a: Alert, by: CountGroup): string | null {
  if (isIncidentUpdate(a)) return null;
  if (by === 'rule') return a.rule_id;
  if (by === 'severity') return SEVERITIES[severityRank(a.severity)]!;
  return typeof a.host === 'string' && a.host !== '' ? a.host : '(unknown host)';
}

/** How many detections an alert stands for: a fold/rate-limit summary its count, else 1. */
export function weightOf(a: Alert): number {
  if (!isSummary(a)) return 1;
  const c = (a.summary as { count?: unknown }).count;
  return typeof c === 'number' && Number.isFinite(c) && c > 0 ? Math.floor(c) : 1;
}

function emptyRow(key: string, buckets: number): CountRow {
  return {
    key,
    stacks: Array.from({ length: buckets }, () => new Array<number>(SEVERITIES.length).fill(0)),
    counts: new Array<number>(buckets).fill(0),
    total: 0,
  };
}

function addInto(dst: CountRow, src: CountRow): void {
  src.stacks.forEach((st, b) => st.forEach((v, s) => (dst.stacks[b]![s]! += v)));
  src.counts.forEach((v, b) => (dst.counts[b]! += v));
  dst.total += src.total;
}

export function buildCounts(alerts: readonly Alert[], by: CountGroup, o: CountOptions): Counts {
  const bucketMs = Math.max(1, Math.floor(o.bucketMs));
  const buckets = Math.max(1, Math.floor(o.buckets));
  const end = Math.floor(o.now / bucketMs) * bucketMs + bucketMs;
  const start = end - buckets * bucketMs;
  const rows = new Map<string, CountRow>();
  let placed = 0;
  for (const a of alerts) {
    const key = groupOf(a, by);
    const t = alertTimeMs(a);
    if (key === null || t === null || t < start || t >= end) continue;
    let row = rows.get(key);
    if (!row) {
      row = emptyRow(key, buckets);
      rows.set(key, row);
    }
    const b = Math.floor((t - start) / bucketMs);
    const w = weightOf(a);
    row.stacks[b]![severityRank(a.severity)]! += w;
    row.counts[b]! += w;
    row.total += w;
    placed += w;
  }
  let list = [...rows.values()];
  if (by === 'severity') list.sort((x, y) => severityRank(y.key) - severityRank(x.key));
  else list.sort((x, y) => y.total - x.total || x.key.localeCompare(y.key));
  const maxRows = Math.max(1, Math.floor(o.maxRows));
  if (list.length > maxRows) {
    const rest = list.slice(maxRows - 1);
    const other = emptyRow(`${rest.length} others`, buckets);
    for (const r of rest) addInto(other, r);
    list = list.slice(0, maxRows - 1).concat([other]);
  }
  let max = 0;
  for (const r of list) for (const c of r.counts) if (c > max) max = c;
  return { start, bucketMs, buckets, rows: list, max, placed };
}
