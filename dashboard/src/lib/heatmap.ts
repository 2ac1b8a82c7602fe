// Pod/container heatmap: rows = container (or "host"), columns = time buckets ending at 'now'. Pure.
import type { Alert } from '../types';
import { alertTimeMs, containerLabel } from './alert';

export interface HeatmapRow {
  key: string;
  label: string;
  namespace: string | null;
  counts: number[];
  total: number;
}

export interface Heatmap {
  /** start of the first bucket (ms, aligned to bucketMs) */
  start: number;
  bucketMs: number;
  buckets: number;
  rows: HeatmapRow[];
  /** largest cell count (0 when empty) */
  max: number;
  /** alerts placed in the grid */
  placed: number;
  /** alerts outside the window or without a time */
  outside: number;
  /** rows beyond maxRows, folded into the last row "other" */
  folded: number;
}

export interface HeatmapOptions {
  now: number;
  bucketMs: number;
  buckets: number;
  maxRows: number;
}

/** The row key of an alert: the container id (or label), else "host". */
export function rowKey(a: Alert): string {
  const c = a.container;
  if (!c) return 'host';
  return typeof c.id === 'string' && c.id !== '' ? `c:${c.id}` : `l:${containerLabel(c)}`;
}

export function buildHeatmap(alerts: Alert[], o: HeatmapOptions): Heatmap {
  const bucketMs = Math.max(1, Math.floor(o.bucketMs));
  const buckets = Math.max(1, Math.floor(o.buckets));
  // the last bucket holds 'now'
  const end = Math.floor(o.now / bucketMs) * bucketMs + bucketMs;
  const start = end - buckets * bucketMs;
  const rows = new Map<string, HeatmapRow>();
  let placed = 0;
  let outside = 0;
  for (const a of alerts) {
    const t = alertTimeMs(a);
    if (t === null || t < start || t >= end) {
      outside++;
      continue;
    }
    const key = rowKey(a);
    let row = rows.get(key);
    if (!row) {
      const ns = a.container?.namespace;
      row = {
        key,
        label: containerLabel(a.container),
        namespace: typeof ns === 'string' && ns !== '' ? ns : null,
        counts: new Array<number>(buckets).fill(0),
        total: 0,
      };
      rows.set(key, row);
    }
    const b = Math.floor((t - start) / bucketMs);
    row.counts[b] = (row.counts[b] ?? 0) + 1;
    row.total++;
    placed++;
  }
  // busiest first; "host" and names break ties so the order is stable
  let list = [...rows.values()].sort((x, y) => y.total - x.total || x.label.localeCompare(y.label) || x.key.localeCompare(y.key));
  let folded = 0;
  const maxRows = Math.max(1, Math.floor(o.maxRows));
  if (list.length > maxRows) {
    const keep = list.slice(0, maxRows - 1);
    const rest = list.slice(maxRows - 1);
    folded = rest.length;
    const other: HeatmapRow = { key: 'other', label: `${rest.length} others`, namespace: null, counts: new Array<number>(buckets).fill(0), total: 0 };
    for (const r of rest) {
      r.counts.forEach((c, i) => (other.counts[i] = (other.counts[i] ?? 0) + c));
      other.total += r.total;
    }
    list = keep.concat([other]);
  }
  let max = 0;
  for (const r of list) for (const c of r.counts) if (c > max) max = c;
  return { start, bucketMs, buckets, rows: list, max, placed, outside, folded };
}

/** 0..4 intensity class of a cell (0 = empty), on a square-root scale so single alerts stay visible. */
export function intensity(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil(Math.sqrt(count / max) * 4)));
}
