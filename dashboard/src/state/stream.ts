// The alert stream state and its reducer: add (dedupe by id, ordered by id, capped), pause/resume
// (paused: new alerts are buffered and counted, shown on resume), filters, selection, connection.
import type { Alert, ConnState, Severity } from '../types';
import { alertKey, compareIds, containerLabel, displayText, incidentIdOf, isIncidentUpdate, isSummary, severityRank } from '../lib/alert';

export const DEFAULT_CAP = 2000;
export const INCIDENT_CAP = 500;

export interface Filters {
  /** severities to show; empty = all */
  severities: Severity[];
  /** rule id to show; '' = all */
  rule: string;
  /** case-insensitive substring over rule, reason, process, pid, args, container, addr */
  text: string;
  /** '' = all, 'host' = no container, 'ns:<namespace>', 'c:<container label>' */
  container: string;
  /** the alert's host (node) to show; '' = all (rtmond --aggregate merges several) */
  host: string;
}

/** Paging back in time through /api/alerts (src/lib/history.ts). */
export interface OlderState {
  /** cursor of the next older page; null: none known (yet, or no older alerts) */
  cursor: string | null;
  /** where history comes from: 'journal' | 'memory'; null until the first page */
  source: string | null;
  loading: boolean;
  /** the last page request's failure, '' = none */
  error: string;
}

export interface StreamState {
  /** shown alerts, ordered by id (oldest first), at most cap */
  alerts: Alert[];
  /** alerts that arrived while paused, at most cap */
  pending: Alert[];
  /** keys (alertKey: host and id) held in alerts and pending */
  seen: ReadonlySet<string>;
  paused: boolean;
  cap: number;
  filters: Filters;
  selectedId: string | null;
  conn: ConnState;
  /** browser time (ms) of the last alert received */
  lastEventAt: number | null;
  /** alerts accepted (duplicates not counted) */
  received: number;
  duplicates: number;
  malformed: number;
  /** alerts dropped by the cap */
  evicted: number;
  /** latest update of each incident, by incident_id (an update carries the whole kept timeline) */
  incidents: Readonly<Record<string, Alert>>;
  selectedIncident: string | null;
  older: OlderState;
}

export type StreamAction =
  | { type: 'add'; alerts: Alert[]; at: number }
  | { type: 'malformed'; count: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'setFilter'; patch: Partial<Filters> }
  | { type: 'clearFilters' }
  | { type: 'select'; id: string | null }
  | { type: 'selectIncident'; id: string | null }
  | { type: 'conn'; state: ConnState }
  | { type: 'older'; patch: Partial<OlderState> };

export const EMPTY_FILTERS: Filters = { severities: [], rule: '', text: '', container: '', host: '' };

export function initialState(cap: number = DEFAULT_CAP): StreamState {
  return {
    alerts: [],
    pending: [],
    seen: new Set(),
    paused: false,
    cap: Math.max(1, Math.floor(cap)),
    filters: EMPTY_FILTERS,
    selectedId: null,
    conn: 'connecting',
    lastEventAt: null,
    received: 0,
    duplicates: 0,
    malformed: 0,
    evicted: 0,
    incidents: {},
    selectedIncident: null,
    older: { cursor: null, source: null, loading: false, error: '' },
  };
}

/**
 * Appends 'fresh' to the id-ordered 'list' and bounds it to 'cap'; returns the list and what fell off.
 * When over the cap, the lowest severity goes first (oldest first within a severity), so a flood
 * of low alerts cannot evict a high or critical one; summaries count as their severity.
 */
export function mergeCapped(list: Alert[], fresh: Alert[], cap: number): { list: Alert[]; dropped: Alert[] } {
  if (fresh.length === 0) return { list, dropped: [] };
  const out = list.concat(fresh);
  const last = list[list.length - 1];
  let sorted = last === undefined || compareIds(last.id, fresh[0]!.id) < 0;
  for (let i = 1; sorted && i < fresh.length; i++) sorted = compareIds(fresh[i - 1]!.id, fresh[i]!.id) < 0;
  if (!sorted) out.sort((a, b) => compareIds(a.id, b.id));
  if (out.length <= cap) return { list: out, dropped: [] };
  const excess = out.length - cap;
  // count per severity rank, then drop the oldest of the lowest ranks
  const perRank = [0, 0, 0, 0, 0];
  for (const a of out) perRank[severityRank(a.severity)]!++;
  const quota = [0, 0, 0, 0, 0];
  let left = excess;
  for (let r = 0; r < perRank.length && left > 0; r++) {
    quota[r] = Math.min(perRank[r]!, left);
    left -= quota[r]!;
  }
  const kept: Alert[] = [];
  const dropped: Alert[] = [];
  for (const a of out) {
    const r = severityRank(a.severity);
    if (quota[r]! > 0) {
      quota[r]!--;
      dropped.push(a);
    } else {
      kept.push(a);
    }
  }
  return { list: kept, dropped };
}

/** Keeps the latest update per incident (higher incident.update, else later id); bounded to cap, closed ones go first. */
export function mergeIncidents(
  cur: Readonly<Record<string, Alert>>,
  updates: Alert[],
  cap: number = INCIDENT_CAP,
): Readonly<Record<string, Alert>> {
  if (updates.length === 0) return cur;
  const out: Record<string, Alert> = { ...cur };
  for (const u of updates) {
    const key = incidentIdOf(u) ?? u.id;
    const old = out[key];
    const nu = u.incident?.update ?? 0;
    const ou = old?.incident?.update ?? 0;
    if (!old || nu > ou || (nu === ou && compareIds(old.id, u.id) < 0)) out[key] = u;
  }
  const keys = Object.keys(out);
  if (keys.length > cap) {
    const order = keys.sort((a, b) => {
      const ca = out[a]!.incident?.state === 'closed' ? 0 : 1;
      const cb = out[b]!.incident?.state === 'closed' ? 0 : 1;
      return ca - cb || compareIds(out[a]!.id, out[b]!.id);
    });
    for (const k of order.slice(0, keys.length - cap)) delete out[k];
  }
  return out;
}

function withoutIds(seen: ReadonlySet<string>, dropped: Alert[]): Set<string> {
  const s = new Set(seen);
  for (const a of dropped) s.delete(alertKey(a));
  return s;
}

export function streamReducer(state: StreamState, action: StreamAction): StreamState {
  switch (action.type) {
    case 'add': {
      const seen = new Set(state.seen);
      const fresh: Alert[] = [];
      const updates: Alert[] = [];
      let dups = 0;
      for (const a of action.alerts) {
        if (isIncidentUpdate(a)) {
          updates.push(a);
          continue;
        }
        const key = alertKey(a);
        if (seen.has(key)) {
          dups++;
          continue;
        }
        seen.add(key);
        fresh.push(a);
      }
      const incidents = mergeIncidents(state.incidents, updates);
      if (fresh.length === 0) {
        if (!dups && incidents === state.incidents) return state;
        return { ...state, incidents, duplicates: state.duplicates + dups, lastEventAt: updates.length ? action.at : state.lastEventAt };
      }
      const base = {
        ...state,
        incidents,
        received: state.received + fresh.length,
        duplicates: state.duplicates + dups,
        lastEventAt: action.at,
      };
      if (state.paused) {
        const { list, dropped } = mergeCapped(state.pending, fresh, state.cap);
        return { ...base, pending: list, seen: withoutIds(seen, dropped), evicted: state.evicted + dropped.length };
      }
      const { list, dropped } = mergeCapped(state.alerts, fresh, state.cap);
      return { ...base, alerts: list, seen: withoutIds(seen, dropped), evicted: state.evicted + dropped.length };
    }
    case 'malformed':
      return { ...state, malformed: state.malformed + action.count };
    case 'pause':
      return state.paused ? state : { ...state, paused: true };
    case 'resume': {
      if (!state.paused) return state;
      const { list, dropped } = mergeCapped(state.alerts, state.pending, state.cap);
      return {
        ...state,
        paused: false,
        alerts: list,
        pending: [],
        seen: withoutIds(state.seen, dropped),
        evicted: state.evicted + dropped.length,
      };
    }
    case 'setFilter':
      return { ...state, filters: { ...state.filters, ...action.patch } };
    case 'clearFilters':
      return { ...state, filters: EMPTY_FILTERS };
    case 'select':
      return { ...state, selectedId: action.id };
    case 'selectIncident':
      return { ...state, selectedIncident: action.id };
    case 'conn':
      return state.conn === action.state ? state : { ...state, conn: action.state };
    case 'older':
      return { ...state, older: { ...state.older, ...action.patch } };
    default:
      return state;
  }
}

// ---- selectors ----

/** Every alert held (shown and buffered), oldest first. */
export function allAlerts(state: Pick<StreamState, 'alerts' | 'pending'>): Alert[] {
  return state.pending.length === 0 ? state.alerts : state.alerts.concat(state.pending);
}

export function findAlert(state: Pick<StreamState, 'alerts' | 'pending'>, id: string | null): Alert | null {
  if (id === null) return null;
  return state.alerts.find((a) => a.id === id) ?? state.pending.find((a) => a.id === id) ?? null;
}

function searchText(a: Alert): string {
  const e = a.event ?? {};
  const parts: unknown[] = [
    a.rule_id,
    a.reason,
    a.description,
    a.severity,
    e.comm,
    e.exe,
    e.pid,
    e.ppid,
    e.type,
    a.addr,
    e.dst_addr,
    e.memfd_name,
    e.target_pid,
    containerLabel(a.container),
    a.container?.id,
    a.host,
    a.incident_id,
  ];
  if (Array.isArray(a.mitre)) parts.push(...a.mitre);
  if (Array.isArray(e.args)) parts.push(...e.args);
  return parts
    .filter((p) => p !== undefined && p !== null)
    .map((p) => displayText(p))
    .join('\u0001')
    .toLowerCase();
}

export function matchesFilters(a: Alert, f: Filters): boolean {
  if (f.severities.length > 0 && !(f.severities as string[]).includes(a.severity)) return false;
  if (f.rule !== '' && a.rule_id !== f.rule) return false;
  if (f.host !== '' && a.host !== f.host) return false;
  if (f.container !== '') {
    if (f.container === 'host') {
      if (a.container) return false;
    } else if (f.container.startsWith('ns:')) {
      if (a.container?.namespace !== f.container.slice(3)) return false;
    } else if (f.container.startsWith('c:')) {
      if (!a.container || containerLabel(a.container) !== f.container.slice(2)) return false;
    }
  }
  const q = f.text.trim().toLowerCase();
  if (q !== '' && !searchText(a).includes(q)) return false;
  return true;
}

/** The shown alerts that pass the filters, newest first. */
export function visibleAlerts(state: Pick<StreamState, 'alerts' | 'filters'>): Alert[] {
  const out: Alert[] = [];
  for (let i = state.alerts.length - 1; i >= 0; i--) {
    const a = state.alerts[i]!;
    if (matchesFilters(a, state.filters)) out.push(a);
  }
  return out;
}

/** Distinct rule ids among the alerts, sorted. */
export function ruleIds(alerts: Alert[]): string[] {
  return [...new Set(alerts.map((a) => a.rule_id))].sort();
}

/** Container filter choices: namespaces and container labels seen, sorted; 'host' when a host alert exists. */
export function containerChoices(alerts: Alert[]): { value: string; label: string }[] {
  const ns = new Set<string>();
  const cs = new Set<string>();
  let host = false;
  for (const a of alerts) {
    if (!a.container) {
      host = true;
      continue;
    }
    if (typeof a.container.namespace === 'string' && a.container.namespace !== '') ns.add(a.container.namespace);
    cs.add(containerLabel(a.container));
  }
  const out: { value: string; label: string }[] = [];
  if (host) out.push({ value: 'host', label: 'host (no container)' });
  for (const n of [...ns].sort()) out.push({ value: `ns:${n}`, label: `namespace ${displayText(n)}` });
  for (const c of [...cs].sort()) out.push({ value: `c:${c}`, label: displayText(c) });
  return out;
}

/** Full alerts only (no summaries, no updates). */
export function fullAlerts(alerts: Alert[]): Alert[] {
  return alerts.filter((a) => !isSummary(a) && !isIncidentUpdate(a));
}

/**
 * The attacks of one rule: full alerts of that rule, one per incident (the first), oldest first;
 * alerts without an incident_id count one each. Summaries never count.
 */
export function attacksOf(alerts: Alert[], ruleId: string): Alert[] {
  const seenInc = new Set<string>();
  const out: Alert[] = [];
  for (const a of alerts) {
    if (a.rule_id !== ruleId || isSummary(a) || isIncidentUpdate(a)) continue;
    const inc = incidentIdOf(a);
    if (inc !== null) {
      if (seenInc.has(inc)) continue;
      seenInc.add(inc);
    }
    out.push(a);
  }
  return out;
}

/** Incidents, newest activity first (opened/last_activity, then id). */
export function incidentList(incidents: Readonly<Record<string, Alert>>): Alert[] {
  const t = (a: Alert) => {
    const s = a.incident?.last_activity ?? a.incident?.opened ?? a.timestamp;
    const ms = typeof s === 'string' ? Date.parse(s) : NaN;
    return Number.isFinite(ms) ? ms : 0;
  };
  return Object.values(incidents).sort((a, b) => t(b) - t(a) || compareIds(b.id, a.id));
}

/** Full alerts of an incident, oldest first. */
export function alertsOfIncident(alerts: Alert[], incidentId: string): Alert[] {
  return alerts.filter((a) => incidentIdOf(a) === incidentId && !isIncidentUpdate(a));
}
