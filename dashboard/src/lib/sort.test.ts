import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, formatSort, nextSort, parseSort, sortAlerts } from './sort';
import { mkAlert } from '../test/make';

const list = [
  mkAlert({ id: '1-1', severity: 'high', rule_id: 'b_rule', pid: 20, reason: 'zeta', event: { comm: 'nc', pid: 20 } }),
  mkAlert({ id: '2-2', severity: 'low', rule_id: 'a_rule', pid: 3, reason: 'alpha', event: { comm: 'bash', pid: 3 }, container: { pod: 'web', namespace: 'shop' } }),
  mkAlert({ id: '10-10', severity: 'critical', rule_id: 'c_rule', reason: 'mid', event: { comm: 'sh' } }),
];
const ids = (k: Parameters<typeof sortAlerts>[1]) => sortAlerts(list, k).map((a) => a.id);

describe('sortAlerts', () => {
  it('orders by each column both ways; ids compare numerically', () => {
    expect(ids({ key: 'time', dir: 'desc' })).toEqual(['10-10', '2-2', '1-1']);
    expect(ids({ key: 'time', dir: 'asc' })).toEqual(['1-1', '2-2', '10-10']);
    expect(ids({ key: 'severity', dir: 'desc' })).toEqual(['10-10', '1-1', '2-2']);
    expect(ids({ key: 'rule', dir: 'asc' })).toEqual(['2-2', '1-1', '10-10']);
    expect(ids({ key: 'pid', dir: 'desc' })).toEqual(['1-1', '2-2', '10-10']);
    expect(ids({ key: 'process', dir: 'asc' })).toEqual(['2-2', '1-1', '10-10']);
    expect(ids({ key: 'container', dir: 'asc' })).toEqual(['10-10', '1-1', '2-2']);
    expect(ids({ key: 'reason', dir: 'asc' })).toEqual(['2-2', '10-10', '1-1']);
  });
  it('does not touch its input and breaks ties newest first', () => {
    const same = [mkAlert({ id: '1-1', severity: 'low' }), mkAlert({ id: '2-2', severity: 'low' })];
    const copy = [...same];
    expect(sortAlerts(same, { key: 'severity', dir: 'asc' }).map((a) => a.id)).toEqual(['2-2', '1-1']);
    expect(same).toEqual(copy);
  });
  it('parses, formats and steps the sort', () => {
    expect(parseSort('severity:asc')).toEqual({ key: 'severity', dir: 'asc' });
    expect(parseSort(formatSort({ key: 'pid', dir: 'desc' }))).toEqual({ key: 'pid', dir: 'desc' });
    expect(parseSort('nope:asc')).toEqual(DEFAULT_SORT);
    expect(parseSort('rule')).toEqual(DEFAULT_SORT);
    expect(parseSort(null)).toEqual(DEFAULT_SORT);
    expect(nextSort(DEFAULT_SORT, 'time')).toEqual({ key: 'time', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'rule')).toEqual({ key: 'rule', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'severity')).toEqual({ key: 'severity', dir: 'desc' });
  });
});
