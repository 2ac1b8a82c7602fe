// Column sorting for the alert table. Pure: returns a new array, never sorts in place.
import type { Alert } from '../types';
import { compareIds, containerLabel, severityRank } from './alert';

export const SORT_KEYS = ['time', 'host', 'severity', 'rule', 'pid', 'process', 'container', 'reason'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}

/** The table's order when nothing was chosen: newest first. */
export const DEFAULT_SORT: Sort = { key: 'time', dir: 'desc' };

export function isSortKey(s: string): s is SortKey {
  return (SORT_KEYS as readonly string[]).includes(s);
}

/** "severity:desc" -> Sort; anything malformed -> DEFAULT_SORT. */
export function parseSort(s: string | null): Sort {
  if (!s) return DEFAULT_SORT;
  const [k, d] = s.split(':');
  if (k === undefined || !isSortKey(k) || (d !== 'asc' && d !== 'desc')) return DEFAULT_SORT;
  return { key: k, dir: d };
}

export function formatSort(s: Sort): string {
  return `${s.key}:${s.dir}`;
}

/** Clicking a header: the same column flips direction; a new column starts descending for time/severity/pid, ascending for text. */
export function nextSort(cur: Sort, key: SortKey): Sort {
  if (cur.key === key) return { key, dir: cur.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'time' || key === 'severity' || key === 'pid' ? 'desc' : 'asc' };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function compareBy(key: SortKey, a: Alert, b: Alert): number {
  switch (key) {
    case 'time':
      return compareIds(a.id, b.id);
    case 'host':
      return text(a.host).localeCompare(text(b.host));
    case 'severity':
      return severityRank(a.severity) - severityRank(b.severity);
    case 'rule':
      return a.rule_id.localeCompare(b.rule_id);
    case 'pid': {
      const x = typeof a.event?.pid === 'number' ? a.event.pid : -1;
      const y = typeof b.event?.pid === 'number' ? b.event.pid : -1;
      return x - y;
    }
    case 'process':
      return text(a.event?.comm).localeCompare(text(b.event?.comm));
    case 'container':
      return containerLabel(a.container).localeCompare(containerLabel(b.container));
    case 'reason':
      return text(a.reason).localeCompare(text(b.reason));
  }
}

/** The alerts ordered by the column; ties go newest first so equal rows keep the stream's order. */
export function sortAlerts(alerts: readonly Alert[], s: Sort): Alert[] {
  const sign = s.dir === 'asc' ? 1 : -1;
  return [...alerts].sort((a, b) => sign * compareBy(s.key, a, b) || compareIds(b.id, a.id));
}
