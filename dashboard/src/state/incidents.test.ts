import { describe, expect, it } from 'vitest';
import { attacksOf, fullAlerts, incidentList, initialState, mergeCapped, mergeIncidents, streamReducer, visibleAlerts, EMPTY_FILTERS, matchesFilters } from './stream';
import { alertKey, isSummary, summaryView } from '../lib/alert';
import { mkAlert } from '../test/make';
import type { Alert } from '../types';

function upd(incident: string, update: number, id: string, state = 'open', extra: Partial<Alert> = {}): Alert {
  return {
    kind: 'incident',
    id,
    incident_id: incident,
    rule_id: 'reverse_shell',
    severity: 'critical',
    reason: `incident ${incident}`,
    incident: {
      state,
      update,
      opened: '2026-11-29T14:36:40Z',
      last_activity: '2026-11-29T14:36:45Z',
      root_pid: 4000,
      root_exe: '/usr/bin/bash',
      rules: ['reverse_shell'],
      counts: { alerts: 1, execs: update, connects: 1, processes: 2 },
      timeline: Array.from({ length: update }, (_, i) => ({ time: '2026-11-29T14:36:41Z', type: 'exec', pid: 4000 + i, exe: '/usr/bin/id', args: ['id', `-${i}`] })),
    },
    ...extra,
  };
}

const summary: Alert = {
  kind: 'alert',
  id: '1764427000999999-99',
  rule_id: 'suspicious_exec',
  severity: 'medium',
  reason: 'suspicious_exec: 41 repeats folded',
  summary: { kind: 'fold', count: 41, first: '2026-11-29T14:36:40Z', last: '2026-11-29T14:37:40Z', pids: [11, 12], exe: '/tmp/x', cmdline: '/tmp/x -q' },
};

describe('incident updates', () => {
  it('go to the incident map, not the alert list; the latest update replaces earlier ones', () => {
    let s = initialState(10);
    s = streamReducer(s, { type: 'add', alerts: [upd('1-1', 1, '2-2'), upd('1-1', 2, '3-3')], at: 1 });
    s = streamReducer(s, { type: 'add', alerts: [upd('1-1', 1, '2-2')], at: 2 }); // a replayed older update
    expect(s.alerts).toHaveLength(0);
    expect(Object.keys(s.incidents)).toEqual(['1-1']);
    expect(s.incidents['1-1']!.incident!.update).toBe(2);
    expect(s.incidents['1-1']!.incident!.timeline).toHaveLength(2);
    s = streamReducer(s, { type: 'add', alerts: [upd('1-1', 3, '4-4', 'closed')], at: 3 });
    expect(s.incidents['1-1']!.incident!.state).toBe('closed');
  });
  it('are bounded; closed incidents go first', () => {
    const m = mergeIncidents({}, [upd('1-1', 1, '1-1', 'open'), upd('2-2', 1, '2-2', 'closed'), upd('3-3', 1, '3-3', 'closed')], 2);
    expect(Object.keys(m).sort()).toEqual(['1-1', '3-3']);
  });
  it('incidentList orders by last activity, newest first', () => {
    const a = upd('1-1', 1, '1-1');
    const b = upd('2-2', 1, '2-2');
    b.incident!.last_activity = '2026-11-29T15:00:00Z';
    expect(incidentList({ '1-1': a, '2-2': b }).map((x) => x.incident_id)).toEqual(['2-2', '1-1']);
  });
});

describe('summaries', () => {
  it('are recognised and described by count, first/last, pids and fold key', () => {
    expect(isSummary(summary)).toBe(true);
    expect(isSummary(mkAlert())).toBe(false);
    const v = summaryView(summary)!;
    expect(v.kind).toBe('fold');
    expect(v.count).toBe(41);
    expect(v.pids).toEqual([11, 12]);
    expect(v.key).toContain('/tmp/x -q');
  });
  it('are not attacks: panels count one per incident and never a summary', () => {
    const a1 = mkAlert({ rule_id: 'reverse_shell', severity: 'critical', incident_id: 'inc-1' });
    const a2 = mkAlert({ rule_id: 'reverse_shell', severity: 'critical', incident_id: 'inc-1' });
    const a3 = mkAlert({ rule_id: 'reverse_shell', severity: 'critical', incident_id: 'inc-2' });
    const a4 = mkAlert({ rule_id: 'reverse_shell', severity: 'critical' });
    const sum = { ...summary, rule_id: 'reverse_shell' };
    const got = attacksOf([a1, a2, a3, a4, sum], 'reverse_shell');
    expect(got.map((a) => a.id)).toEqual([a1.id, a3.id, a4.id]);
    expect(fullAlerts([a1, sum]).map((a) => a.id)).toEqual([a1.id]);
  });
});

describe('bounding prefers high and critical', () => {
  it('2,500 low alerts do not evict a critical alert', () => {
    const crit = mkAlert({ severity: 'critical', rule_id: 'reverse_shell' });
    const high = mkAlert({ severity: 'high', rule_id: 'injection_attempt' });
    let s = initialState(2000);
    s = streamReducer(s, { type: 'add', alerts: [crit, high], at: 1 });
    for (let b = 0; b < 5; b++) {
      const lows = Array.from({ length: 500 }, () => mkAlert({ severity: 'low' }));
      s = streamReducer(s, { type: 'add', alerts: lows, at: 2 + b });
    }
    expect(s.alerts).toHaveLength(2000);
    expect(s.alerts.some((a) => a.id === crit.id)).toBe(true);
    expect(s.alerts.some((a) => a.id === high.id)).toBe(true);
    expect(s.evicted).toBe(502);
    // the newest low alerts are kept, the oldest dropped
    expect(s.alerts[s.alerts.length - 1]!.severity).toBe('low');
    expect(s.seen.has(alertKey(crit))).toBe(true);
  });
  it('drops the oldest of the lowest severity first, keeping id order', () => {
    const a = mkAlert({ severity: 'medium' });
    const b = mkAlert({ severity: 'low' });
    const c = mkAlert({ severity: 'low' });
    const d = mkAlert({ severity: 'high' });
    const { list, dropped } = mergeCapped([a, b, c], [d], 2);
    expect(dropped.map((x) => x.id)).toEqual([b.id, c.id]);
    expect(list.map((x) => x.id)).toEqual([a.id, d.id]);
  });
  it('without low alerts, the oldest of the next severity goes', () => {
    const a = mkAlert({ severity: 'high' });
    const b = mkAlert({ severity: 'critical' });
    const c = mkAlert({ severity: 'high' });
    const { list } = mergeCapped([a, b], [c], 2);
    expect(list.map((x) => x.id)).toEqual([b.id, c.id]);
  });
});

describe('search', () => {
  it('matches MITRE ids and the incident id', () => {
    const a = mkAlert({ mitre: ['T1059.004'], incident_id: '77-7' });
    expect(matchesFilters(a, { ...EMPTY_FILTERS, text: 't1059' })).toBe(true);
    expect(matchesFilters(a, { ...EMPTY_FILTERS, text: '77-7' })).toBe(true);
    expect(visibleAlerts({ alerts: [a], filters: { ...EMPTY_FILTERS, text: 'T1003' } })).toHaveLength(0);
  });
});
