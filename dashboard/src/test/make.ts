// Test helpers: alerts in rtmon's JSON shape.
import type { Alert } from '../types';

let n = 0;

export function mkAlert(over: Partial<Alert> & { pid?: number; ms?: number } = {}): Alert {
  n++;
  const { pid, ms, ...rest } = over;
  const t = new Date(ms ?? Date.UTC(2026, 10, 29, 14, 36, 40, 123)).toISOString();
  return {
    kind: 'alert',
    id: `1764427000${String(100000 + n)}-${n}`,
    rule_id: 'suspicious_exec',
    severity: 'medium',
    reason: 'exec from /tmp',
    timestamp: t,
    host: 'node-1',
    event: { type: 'exec', pid: pid ?? 1000 + n, ppid: 1, comm: 'sh', exe: '/usr/bin/dash' },
    ...rest,
  };
}
