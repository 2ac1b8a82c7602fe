// Process lineage of an alert: alert.lineage lists ancestors nearest first; the view draws the
// root at the top down to the acting process. Pure.
import type { Alert } from '../types';

export interface LineageNode {
  pid: number;
  comm: string | null;
  exe: string | null;
  /** 0 = the root (oldest ancestor) */
  depth: number;
  /** the process that acted (the alert's event) */
  actor: boolean;
  /** the parent was not known: only the ppid of the event */
  inferred: boolean;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Root-first chain ending at the actor. Without a lineage, the event's ppid (when known) stands
 * as the only ancestor. A repeated pid (a loop in bad data) ends the chain, nearest first.
 */
export function buildLineage(a: Alert): LineageNode[] {
  const e = a.event ?? {};
  const ancestors: { pid: number; comm: string | null; exe: string | null; inferred: boolean }[] = [];
  if (Array.isArray(a.lineage) && a.lineage.length > 0) {
    for (const l of a.lineage) ancestors.push({ pid: l.pid, comm: str(l.comm), exe: str(l.exe), inferred: false });
  } else if (typeof e.ppid === 'number' && e.ppid > 0) {
    ancestors.push({ pid: e.ppid, comm: null, exe: null, inferred: true });
  }
  const actorPid = typeof e.pid === 'number' ? e.pid : -1;
  const seen = new Set<number>([actorPid]);
  const kept: LineageNode[] = [];
  for (const n of ancestors) {
    if (seen.has(n.pid)) break;
    seen.add(n.pid);
    kept.push({ ...n, depth: 0, actor: false });
  }
  const out = kept.reverse();
  out.push({ pid: actorPid, comm: str(e.comm), exe: str(e.exe), depth: 0, actor: true, inferred: false });
  out.forEach((n, i) => (n.depth = i));
  return out;
}
