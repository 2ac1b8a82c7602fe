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
  mitre?: string[];
  timestamp?: string;
  host?: string;
  event?: AlertEvent;
  lineage?: LineageEntry[];
  container?: AlertContainer;
  addr?: string;
  [key: string]: unknown;
}

export type ConnState = 'connecting' | 'open' | 'reconnecting';
