import { describe, expect, it } from 'vitest';
import {
  allAlerts,
  containerChoices,
  findAlert,
  initialState,
  matchesFilters,
  ruleIds,
  streamReducer,
  visibleAlerts,
  type StreamAction,
  type StreamState,
} from './stream';
import { mkAlert } from '../test/make';
import type { Alert } from '../types';

/** seen holds alertKey()s (host and id): the id part. */
const bareId = (k: string) => k.split('\u0000').pop()!;

const a = (id: string, over: Partial<Alert> = {}): Alert => mkAlert({ id, ...over });
const run = (s: StreamState, ...actions: StreamAction[]) => actions.reduce(streamReducer, s);
const ids = (list: Alert[]) => list.map((x) => x.id);

describe('streamReducer add', () => {
  it('adds alerts in id order and records the time', () => {
    const s = run(initialState(), { type: 'add', alerts: [a('10-1'), a('10-2')], at: 5 });
    expect(ids(s.alerts)).toEqual(['10-1', '10-2']);
    expect(s.received).toBe(2);
    expect(s.lastEventAt).toBe(5);
  });
  it('dedupes by id, within a batch and across batches, and counts duplicates', () => {
    const s = run(
      initialState(),
      { type: 'add', alerts: [a('1-1'), a('1-1')], at: 1 },
      { type: 'add', alerts: [a('1-1'), a('2-2')], at: 2 },
    );
    expect(ids(s.alerts)).toEqual(['1-1', '2-2']);
    expect(s.duplicates).toBe(2);
    expect(s.received).toBe(2);
  });
  it('returns the same state for an all-duplicate batch without duplicates counted as new', () => {
    const s1 = run(initialState(), { type: 'add', alerts: [a('1-1')], at: 1 });
    const s2 = streamReducer(s1, { type: 'add', alerts: [a('1-1')], at: 9 });
    expect(s2.alerts).toBe(s1.alerts);
    expect(s2.lastEventAt).toBe(1);
    expect(s2.duplicates).toBe(1);
    expect(streamReducer(s1, { type: 'add', alerts: [], at: 9 })).toBe(s1);
  });
  it('orders out-of-order ids numerically (history fetched after live alerts)', () => {
    const s = run(
      initialState(),
      { type: 'add', alerts: [a('1764427000000100-10')], at: 1 },
      { type: 'add', alerts: [a('1764427000000099-9'), a('999999999999999-8')], at: 2 },
    );
    expect(ids(s.alerts)).toEqual(['999999999999999-8', '1764427000000099-9', '1764427000000100-10']);
  });
  it('caps at the newest N and forgets evicted ids', () => {
    const s = run(initialState(3), { type: 'add', alerts: ['1-1', '2-2', '3-3', '4-4', '5-5'].map((i) => a(i)), at: 1 });
    expect(ids(s.alerts)).toEqual(['3-3', '4-4', '5-5']);
    expect(s.evicted).toBe(2);
    expect([...s.seen].map(bareId).sort()).toEqual(['3-3', '4-4', '5-5']);
    // an evicted id may come back (it is new to us again) but is older than all: evicted at once
    const s2 = streamReducer(s, { type: 'add', alerts: [a('1-1')], at: 2 });
    expect(ids(s2.alerts)).toEqual(['3-3', '4-4', '5-5']);
    expect(s2.evicted).toBe(3);
  });
  it('keeps memory bounded under a long stream', () => {
    let s = initialState(2000);
    for (let b = 0; b < 30; b++) {
      const batch = Array.from({ length: 100 }, (_, i) => a(`${b * 100 + i + 1}-${b * 100 + i + 1}`));
      s = streamReducer(s, { type: 'add', alerts: batch, at: b });
    }
    expect(s.alerts).toHaveLength(2000);
    expect(s.seen.size).toBe(2000);
    expect(s.alerts[0]!.id).toBe('1001-1001');
    expect(s.received).toBe(3000);
    expect(s.evicted).toBe(1000);
  });
});

describe('streamReducer pause/resume', () => {
  it('buffers and counts while paused, shows on resume', () => {
    let s = run(initialState(), { type: 'add', alerts: [a('1-1')], at: 1 }, { type: 'pause' });
    s = run(s, { type: 'add', alerts: [a('2-2'), a('3-3')], at: 2 });
    expect(ids(s.alerts)).toEqual(['1-1']);
    expect(ids(s.pending)).toEqual(['2-2', '3-3']);
    expect(s.paused).toBe(true);
    expect(ids(allAlerts(s))).toEqual(['1-1', '2-2', '3-3']);
    // duplicates of buffered alerts are dropped too
    s = run(s, { type: 'add', alerts: [a('2-2')], at: 3 });
    expect(s.pending).toHaveLength(2);
    s = run(s, { type: 'resume' });
    expect(s.paused).toBe(false);
    expect(ids(s.alerts)).toEqual(['1-1', '2-2', '3-3']);
    expect(s.pending).toEqual([]);
  });
  it('pause twice and resume when not paused change nothing', () => {
    const p = run(initialState(), { type: 'pause' });
    expect(streamReducer(p, { type: 'pause' })).toBe(p);
    const r = initialState();
    expect(streamReducer(r, { type: 'resume' })).toBe(r);
  });
  it('applies the cap on resume and to the buffer', () => {
    let s = run(initialState(2), { type: 'add', alerts: [a('1-1'), a('2-2')], at: 1 }, { type: 'pause' });
    s = run(s, { type: 'add', alerts: [a('3-3'), a('4-4'), a('5-5')], at: 2 });
    expect(ids(s.pending)).toEqual(['4-4', '5-5']);
    expect(s.evicted).toBe(1);
    s = run(s, { type: 'resume' });
    expect(ids(s.alerts)).toEqual(['4-4', '5-5']);
    expect(s.evicted).toBe(3);
    expect([...s.seen].map(bareId).sort()).toEqual(['4-4', '5-5']);
  });
});

describe('filters and selectors', () => {
  const web = { id: 'c0ffee', pod: 'web-1', namespace: 'shop' };
  const dns = { id: 'deadbeef', pod: 'coredns', namespace: 'kube-system' };
  const list = [
    a('1-1', { rule_id: 'reverse_shell', severity: 'critical', container: web, event: { pid: 42, comm: 'bash', exe: '/usr/bin/bash' } }),
    a('2-2', { rule_id: 'injection_attempt', severity: 'high', container: dns, event: { pid: 43, comm: 'gdb' } }),
    a('3-3', { rule_id: 'suspicious_exec', severity: 'medium', event: { pid: 44, comm: 'miner', args: ['/tmp/miner', '--pool', 'evil.example'] } }),
  ];
  const base = run(initialState(), { type: 'add', alerts: list, at: 1 });
  const vis = (patch: Parameters<typeof streamReducer>[1] extends infer A ? (A extends { type: 'setFilter'; patch: infer P } ? P : never) : never) =>
    ids(visibleAlerts(streamReducer(base, { type: 'setFilter', patch })));

  it('shows everything newest first without filters', () => {
    expect(ids(visibleAlerts(base))).toEqual(['3-3', '2-2', '1-1']);
  });
  it('filters by severity set', () => {
    expect(vis({ severities: ['critical', 'high'] })).toEqual(['2-2', '1-1']);
  });
  it('filters by rule', () => {
    expect(vis({ rule: 'injection_attempt' })).toEqual(['2-2']);
  });
  it('filters by container, namespace and host', () => {
    expect(vis({ container: 'host' })).toEqual(['3-3']);
    expect(vis({ container: 'ns:shop' })).toEqual(['1-1']);
    expect(vis({ container: 'c:kube-system/coredns' })).toEqual(['2-2']);
  });
  it('searches text case-insensitively over process, pid and args', () => {
    expect(vis({ text: 'BASH' })).toEqual(['1-1']);
    expect(vis({ text: '43' })).toEqual(['2-2']);
    expect(vis({ text: 'evil.example' })).toEqual(['3-3']);
    expect(vis({ text: '  ' })).toEqual(['3-3', '2-2', '1-1']);
    expect(vis({ text: 'nothing-like-this' })).toEqual([]);
  });
  it('searches MITRE technique ids and the rule description', () => {
    const x = a('7-7', { mitre: ['T1059.004', 'T1071'], description: 'Shell with its standard streams on a TCP socket' });
    const f = (text: string) => matchesFilters(x, { severities: [], rule: '', text, container: '', host: '' });
    expect(f('t1059.004')).toBe(true);
    expect(f('T1071')).toBe(true);
    expect(f('standard streams')).toBe(true);
    expect(f('T1055')).toBe(false);
  });
  it('combines filters and clears them', () => {
    const s = run(base, { type: 'setFilter', patch: { rule: 'reverse_shell' } }, { type: 'setFilter', patch: { container: 'host' } });
    expect(ids(visibleAlerts(s))).toEqual([]);
    expect(ids(visibleAlerts(run(s, { type: 'clearFilters' })))).toEqual(['3-3', '2-2', '1-1']);
  });
  it('matchesFilters with an unknown severity string', () => {
    expect(matchesFilters(a('9-9', { severity: 'weird' }), { severities: ['info'], rule: '', text: '', container: '', host: '' })).toBe(false);
  });
  it('lists rules and container choices', () => {
    expect(ruleIds(list)).toEqual(['injection_attempt', 'reverse_shell', 'suspicious_exec']);
    expect(containerChoices(list)).toEqual([
      { value: 'host', label: 'host (no container)' },
      { value: 'ns:kube-system', label: 'namespace kube-system' },
      { value: 'ns:shop', label: 'namespace shop' },
      { value: 'c:kube-system/coredns', label: 'kube-system/coredns' },
      { value: 'c:shop/web-1', label: 'shop/web-1' },
    ]);
  });
  it('selects and finds alerts, also buffered ones', () => {
    let s = run(base, { type: 'select', id: '2-2' });
    expect(findAlert(s, s.selectedId)?.rule_id).toBe('injection_attempt');
    s = run(s, { type: 'pause' }, { type: 'add', alerts: [a('7-7')], at: 3 });
    expect(findAlert(s, '7-7')?.id).toBe('7-7');
    expect(findAlert(s, 'nope')).toBeNull();
    expect(findAlert(s, null)).toBeNull();
  });
  it('tracks connection state and malformed counts', () => {
    const s = run(initialState(), { type: 'conn', state: 'open' }, { type: 'malformed', count: 2 }, { type: 'malformed', count: 1 });
    expect(s.conn).toBe('open');
    expect(s.malformed).toBe(3);
    expect(streamReducer(s, { type: 'conn', state: 'open' })).toBe(s);
  });
});
