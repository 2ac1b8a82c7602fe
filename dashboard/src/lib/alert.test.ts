import { describe, expect, it } from 'vitest';
import { alertAddr, alertTarget, alertTimeMs, compareIds, containerLabel, displayText, formatAgo, formatLocal, formatTime, formatWhen, localZone, parseAlert, severityRank, toAlert } from './alert';
import { mkAlert } from '../test/make';

describe('parseAlert', () => {
  it('accepts the SPEC example', () => {
    const a = parseAlert(
      '{"kind":"alert","id":"1764427000123456-42","rule_id":"reverse_shell","severity":"high","risk_score":85,"event":{"type":"connect","pid":1234},"lineage":[{"pid":567,"comm":"sshd"},{"pid":1}],"addr":"127.0.0.1:4444"}',
    );
    expect(a?.id).toBe('1764427000123456-42');
    expect(a?.event?.pid).toBe(1234);
    expect(a?.lineage).toEqual([{ pid: 567, comm: 'sshd' }, { pid: 1 }]);
  });
  it('rejects non-JSON, non-objects, and objects without id or rule_id', () => {
    expect(parseAlert('nope')).toBeNull();
    expect(parseAlert('[1]')).toBeNull();
    expect(parseAlert('{"id":"1"}')).toBeNull();
    expect(parseAlert('{"rule_id":"x"}')).toBeNull();
    expect(parseAlert('{"id":5,"rule_id":"x"}')).toBeNull();
    expect(toAlert(null)).toBeNull();
  });
  it('drops wrongly-typed nested values and defaults the severity', () => {
    const a = toAlert({ id: '1', rule_id: 'r', event: 'x', container: [1], lineage: [{ pid: 'a' }, { pid: 2 }, 7] });
    expect(a).toEqual({ id: '1', rule_id: 'r', severity: 'info', lineage: [{ pid: 2 }] });
    expect(toAlert({ id: '1', rule_id: 'r', lineage: 'x' })).toEqual({ id: '1', rule_id: 'r', severity: 'info' });
  });
});

describe('helpers', () => {
  it('orders ids numerically by part', () => {
    expect(compareIds('9-1', '10-1')).toBeLessThan(0);
    expect(compareIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareIds('10-10', '10-10')).toBe(0);
    expect(compareIds('007-1', '7-2')).toBeLessThan(0);
    expect(compareIds('b', 'a')).toBeGreaterThan(0);
  });
  it('ranks severities', () => {
    expect(['info', 'low', 'medium', 'high', 'critical', 'bogus'].map(severityRank)).toEqual([0, 1, 2, 3, 4, 0]);
  });
  it('labels containers', () => {
    expect(containerLabel(undefined)).toBe('host');
    expect(containerLabel({ pod: 'web', namespace: 'shop' })).toBe('shop/web');
    expect(containerLabel({ pod: 'web' })).toBe('web');
    expect(containerLabel({ name: 'pg', id: 'abc' })).toBe('pg');
    expect(containerLabel({ id: '0123456789abcdef' })).toBe('0123456789ab');
  });
  it('finds the address and target', () => {
    expect(alertAddr(mkAlert({ addr: '1.2.3.4:4444' }))).toBe('1.2.3.4:4444');
    expect(alertAddr(mkAlert({ event: { dst_addr: '::1', dst_port: 9001 } }))).toBe('[::1]:9001');
    expect(alertAddr(mkAlert({ event: { pid: 1 } }))).toBeNull();
    expect(alertTarget(mkAlert({ event: { target_pid: 77, ptrace_request: 'PTRACE_ATTACH' } }))).toBe('pid 77 (PTRACE_ATTACH)');
    expect(alertTarget(mkAlert({ event: { memfd_name: 'x' } }))).toBe('memfd:x');
    expect(alertTarget(mkAlert({ event: { type: 'mprotect', prot: ['PROT_READ', 'PROT_EXEC'] } }))).toBe('mprotect PROT_READ|PROT_EXEC');
  });
  it('makes control and bidi characters visible', () => {
    expect(displayText('ok\u202egnp.exe')).toBe('ok\\u202egnp.exe');
    expect(displayText('a\nb\tc\u0007')).toBe('a\\nb\\tc\\u0007');
    expect(displayText('<img src=x>')).toBe('<img src=x>');
    expect(displayText(undefined)).toBe('');
    expect(displayText(42)).toBe('42');
  });
  it('formats times in the local zone with the date, and relative ages', () => {
    const ms = new Date(2026, 10, 29, 4, 5, 6, 7).getTime();
    expect(formatTime(ms)).toBe('04:05:06.007');
    expect(formatTime(null)).toBe('-');
    expect(formatLocal(ms)).toBe('2026-11-29 04:05:06');
    expect(formatLocal(Number.NaN)).toBe('-');
    expect(formatWhen(ms, ms + 185_000)).toBe('2026-11-29 04:05:06 · 3 min ago');
    expect(localZone(ms)).toMatch(/^UTC[+-]\d\d:\d\d$/);
    expect(formatAgo(ms, ms + 500)).toBe('just now');
    expect(formatAgo(ms, ms + 12_000)).toBe('12 s ago');
    expect(formatAgo(ms, ms + 185_000)).toBe('3 min ago');
    expect(formatAgo(ms, ms + 7_300_000)).toBe('2 h ago');
    expect(formatAgo(ms, ms + 3 * 86_400_000)).toBe('3 d ago');
    expect(formatAgo(ms, ms - 60_000)).toBe('in the future');
    expect(formatAgo(null, ms)).toBe('never');
    expect(alertTimeMs(mkAlert({ timestamp: '2026-11-29T14:36:40.123456Z' }))).toBe(Date.UTC(2026, 10, 29, 14, 36, 40, 123));
  });
});
