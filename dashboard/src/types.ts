// The alert JSON (shared/SPEC.md "Alert", docs/API.md for the event keys).
// Every field but id and rule_id may be absent: a key is absent when the value is unknown.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AlertEvent {
  type?: string;
  time?: string;
  pid?: number;
  tid?: number;
  ppid?: number;
  uid?: number;
  comm?: string;
  exe?: string;
  args?: string[];
  dst_addr?: string;
  dst_port?: number;
  target_pid?: number;
  ptrace_request?: string;
  memfd_name?: string;
  prot?: string[];
  [key: string]: unknown;
}

export interface LineageEntry {
  pid: number;
  comm?: string;
  exe?: string;
  [key: string]: unknown;
}

export interface AlertContainer {
  id?: string;
  runtime?: string;
  pod_uid?: string;
  pod?: string;
  namespace?: string;
  name?: string;
  [key: string]: unknown;
}

export interface Alert {
  kind?: string;
  id: string;
  rule_id: string;
  severity: string;
  risk_score?: number;
  reason?: string;
  /** the rule's description */
  description?: string;
  mitre?: string[];
  timestamp?: string;
  host?: string;
  event?: AlertEvent;
  lineage?: LineageEntry[];
  container?: AlertContainer;
  addr?: string;
  incident_id?: string;
  summary?: AlertSummary;
  incident?: IncidentBody;
  [key: string]: unknown;
}

export interface AlertSummary {
  kind?: string;
  count?: number;
  first?: string;
  last?: string;
  pids?: number[];
  ppids?: number[];
  uids?: number[];
  exe?: string;
  parent_exe?: string;
  object?: string;
  cmdline?: string;
  exes?: string[];
  [key: string]: unknown;
}

export interface TimelineEntry {
  time?: string;
  type?: string;
  pid?: number;
  ppid?: number;
  uid?: number;
  exe?: string;
  args?: string[];
  args_truncated?: boolean;
  addr?: string;
  memfd_name?: string;
  target_pid?: number;
  rules?: string[];
  alert_id?: string;
  [key: string]: unknown;
}

export interface IncidentBody {
  state?: string;
  close_reason?: string;
  update?: number;
  opened?: string;
  last_activity?: string;
  root_pid?: number;
  root_exe?: string;
  rules?: string[];
  counts?: Record<string, number>;
  entries_total?: number;
  entries_omitted?: number;
  timeline?: TimelineEntry[];
  [key: string]: unknown;
}

/** 'unauthorized': rtmon answered 401 (token missing or wrong); no retry until a new token is given. */
export type ConnState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';
