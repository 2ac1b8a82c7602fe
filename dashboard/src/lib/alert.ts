// Parsing, ordering and display helpers for alerts. Pure functions, no I/O.
import { SEVERITIES, type Alert, type AlertContainer, type LineageEntry, type Severity } from '../types';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one SSE data payload; returns null when it is not an alert object with an id and a rule_id. */
export function parseAlert(data: string): Alert | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  return toAlert(v);
}

/** Validates an already-decoded value (e.g. one element of /api/alerts). */
export function toAlert(v: unknown): Alert | null {
  if (!isObject(v)) return null;
  const id = v['id'];
  const rule = v['rule_id'];
  if (typeof id !== 'string' || id === '' || typeof rule !== 'string' || rule === '') return null;
  const out: Alert = { ...v, id, rule_id: rule, severity: typeof v['severity'] === 'string' ? v['severity'] : 'info' };
  // drop wrongly-typed nested values instead of trusting them
  if (out.event !== undefined && !isObject(out.event)) delete out.event;
  if (out.container !== undefined && !isObject(out.container)) delete out.container;
  if (out.lineage !== undefined) {
    out.lineage = Array.isArray(out.lineage)
      ? (out.lineage as unknown[]).filter((e): e is LineageEntry => isObject(e) && typeof e['pid'] === 'number')
      : undefined;
    if (out.lineage === undefined) delete out.lineage;
  }
  return out;
}

/** Severity rank 0 (info) .. 4 (critical); unknown strings rank as info. */
export function severityRank(s: string): number {
  const i = (SEVERITIES as readonly string[]).indexOf(s);
  return i < 0 ? 0 : i;
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/**
 * Orders alert ids "<usec>-<seq>" numerically, part by part (ids are increasing within one host);
 * anything else falls back to string order.
 */
export function compareIds(a: string, b: string): number {
  const pa = a.split('-');
  const pb = b.split('-');
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** Milliseconds since the epoch of the alert (its timestamp, else its event time), or null. */
export function alertTimeMs(a: Alert): number | null {
  const t = a.timestamp ?? a.event?.time;
  if (typeof t !== 'string') return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

/** Short container label: "namespace/pod", the pod, the container name, the first 12 chars of the id, or "host". */
export function containerLabel(c: AlertContainer | undefined): string {
  if (!c) return 'host';
  if (typeof c.pod === 'string' && c.pod !== '') {
    return typeof c.namespace === 'string' && c.namespace !== '' ? `${c.namespace}/${c.pod}` : c.pod;
  }
  if (typeof c.name === 'string' && c.name !== '') return c.name;
  if (typeof c.id === 'string' && c.id !== '') return c.id.slice(0, 12);
  return 'container';
}

/** The "where" of an alert for reverse shells: alert.addr, else the event's dst_addr:dst_port. */
export function alertAddr(a: Alert): string | null {
  if (typeof a.addr === 'string' && a.addr !== '') return a.addr;
  const e = a.event;
  if (e && typeof e.dst_addr === 'string') {
    const host = e.dst_addr.includes(':') ? `[${e.dst_addr}]` : e.dst_addr;
    return typeof e.dst_port === 'number' ? `${host}:${e.dst_port}` : e.dst_addr;
  }
  return null;
}

/** The "target" of an injection alert: the traced/written pid, the memfd name, or the protection asked for. */
export function alertTarget(a: Alert): string | null {
  const e = a.event;
  if (!e) return null;
  if (typeof e.target_pid === 'number') {
    const req = typeof e.ptrace_request === 'string' ? ` (${e.ptrace_request})` : '';
    return `pid ${e.target_pid}${req}`;
  }
  if (typeof e.memfd_name === 'string') return `memfd:${e.memfd_name}`;
  if (Array.isArray(e.prot)) return `${e.type ?? 'mmap'} ${e.prot.join('|')}`;
  return typeof e.type === 'string' ? e.type : null;
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Makes attacker-controlled text (comm, exe, args, reason) safe to read: control characters,
 * zero-width and bidi-override characters become visible \u escapes. React already escapes
 * HTML; this keeps the text from lying about itself (e.g. a RIGHT-TO-LEFT OVERRIDE in a name).
 */
export function displayText(s: unknown): string {
  if (s === undefined || s === null) return '';
  const str = typeof s === 'string' ? s : String(s);
  return str.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** The process of an alert for the table: comm, with the exe when it is not just /…/comm. */
export function processLabel(a: Alert): { comm: string; exe: string } {
  const e = a.event ?? {};
  return { comm: displayText(e.comm ?? '?'), exe: displayText(e.exe ?? '') };
}

/** HH:MM:SS.mmm in the viewer's local zone (the clock part of formatLocal). */
export function formatTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** YYYY-MM-DD HH:MM:SS in the viewer's local zone, or '-'. */
export function formatLocal(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The viewer's zone as an offset, e.g. "UTC+01:00" (for column headers and tooltips). */
export function localZone(ms: number = Date.now()): string {
  const off = -new Date(ms).getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Local date and time with the age: "2026-11-29 15:36:40 · 3 min ago". */
export function formatWhen(ms: number | null, now: number): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  return `${formatLocal(ms)} · ${formatAgo(ms, now)}`;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago"; "never" for null, "in the future" when ahead. */
export function formatAgo(ms: number | null, now: number): string {
  if (ms === null || !Number.isFinite(ms)) return 'never';
  const diff = now - ms;
  if (diff < -5000) return 'in the future';
  const s = Math.max(0, Math.floor(diff / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** An incident update (docs/API.md "Incidents"): kind "incident" with an `incident` object. */
export function isIncidentUpdate(a: Alert): boolean {
  return a.kind === 'incident' && typeof a.incident === 'object' && a.incident !== null;
}

/** A fold / rate-limit summary: no event, a `summary` object. Never an attack of its own. */
export function isSummary(a: Alert): boolean {
  return a.event === undefined && typeof a.summary === 'object' && a.summary !== null && !Array.isArray(a.summary);
}

export interface SummaryView {
  kind: string;
  count: number | null;
  first: string | null;
  last: string | null;
  pids: number[];
  /** the fold key, human-readable: exe, parent, object, command line */
  key: string;
}

/** The fields of a summary alert, checked; null when the alert is not a summary. */
export function summaryView(a: Alert): SummaryView | null {
  if (!isSummary(a)) return null;
  const s = a.summary as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const pids = Array.isArray(s['pids']) ? (s['pids'] as unknown[]).filter((p): p is number => typeof p === 'number') : [];
  const key = [
    str(s['exe']),
    str(s['parent_exe']) ? `parent ${str(s['parent_exe'])}` : null,
    str(s['object']),
    str(s['cmdline']),
  ]
    .filter((x): x is string => x !== null)
    .join(' · ');
  return {
    kind: str(s['kind']) ?? 'summary',
    count: typeof s['count'] === 'number' ? s['count'] : null,
    first: str(s['first']),
    last: str(s['last']),
    pids,
    key: displayText(key),
  };
}

/**
 * The identity of an alert: ids are unique per host only (rtmond --aggregate merges hosts), so the
 * host is part of it. Alerts without a host (one node, old recordings) keep their bare id.
 */
export function alertKey(a: Pick<Alert, 'id' | 'host'>): string {
  return typeof a.host === 'string' && a.host !== '' ? `${a.host}\u0000${a.id}` : a.id;
}

/** The distinct hosts of the alerts, sorted. */
export function hostsOf(alerts: readonly Alert[]): string[] {
  const s = new Set<string>();
  for (const a of alerts) if (typeof a.host === 'string' && a.host !== '') s.add(a.host);
  return [...s].sort();
}

/** The incident of a full alert or update, or null. */
export function incidentIdOf(a: Alert): string | null {
  return typeof a.incident_id === 'string' && a.incident_id !== '' ? a.incident_id : null;
}
