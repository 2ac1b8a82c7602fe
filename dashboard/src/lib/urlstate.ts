// Triage state kept in the address bar's fragment, so a link opens the same view:
// #alert=ID&incident=ID&rule=RULE&q=TEXT&sev=high,critical&ctr=CONTAINER&host=HOST&sort=severity:desc. Pure.
import type { Filters } from '../state/stream';
import { isSeverity } from './alert';
import type { Severity } from '../types';
import { DEFAULT_SORT, formatSort, parseSort, type Sort } from './sort';

export interface UrlState {
  alert: string | null;
  incident: string | null;
  filters: Filters;
  /** table order; absent from the URL when it is the default (newest first) */
  sort?: Sort;
}

export function parseUrlState(hash: string): UrlState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const get = (k: string) => {
    const v = p.get(k);
    return v === null || v === '' ? null : v;
  };
  const sev = (get('sev') ?? '').split(',').filter((s): s is Severity => isSeverity(s));
  return {
    alert: get('alert'),
    incident: get('incident'),
    filters: { severities: sev, rule: get('rule') ?? '', text: get('q') ?? '', container: get('ctr') ?? '', host: get('host') ?? '' },
    sort: parseSort(get('sort')),
  };
}

export function formatUrlState(s: UrlState): string {
  const p = new URLSearchParams();
  if (s.alert) p.set('alert', s.alert);
  if (s.incident) p.set('incident', s.incident);
  if (s.filters.rule) p.set('rule', s.filters.rule);
  if (s.filters.text) p.set('q', s.filters.text);
  if (s.filters.severities.length > 0) p.set('sev', s.filters.severities.join(','));
  if (s.filters.container) p.set('ctr', s.filters.container);
  if (s.filters.host) p.set('host', s.filters.host);
  if (s.sort && (s.sort.key !== DEFAULT_SORT.key || s.sort.dir !== DEFAULT_SORT.dir)) p.set('sort', formatSort(s.sort));
  const q = p.toString();
  return q === '' ? '' : `#${q}`;
}
