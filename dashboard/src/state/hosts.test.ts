// One view of a cluster (rtmond --aggregate): alerts of several hosts in one stream. Ids are unique per host
// only, so the reducer keys on (host, id); the host filter keeps one host; the URL carries it.
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, initialState, matchesFilters, streamReducer, visibleAlerts } from './stream';
import { alertKey, hostsOf } from '../lib/alert';
import { formatUrlState, parseUrlState } from '../lib/urlstate';
import { sortAlerts } from '../lib/sort';
import { mkAlert } from '../test/make';

describe('alerts from several hosts', () => {
  const a1 = mkAlert({ id: '100-1', host: 'node-a' });
  const b1 = mkAlert({ id: '100-1', host: 'node-b' }); // the same id on another host: another alert
  const c2 = mkAlert({ id: '101-2', host: 'node-c' });

  it('keys alerts on host and id: the same id from two hosts is two alerts, a repeat from one host is a duplicate', () => {
    expect(alertKey(a1)).not.toBe(alertKey(b1));
    expect(alertKey({ id: '7-7' })).toBe('7-7');
    let s = streamReducer(initialState(), { type: 'add', alerts: [a1, b1, c2], at: 1 });
    expect(s.alerts).toHaveLength(3);
    s = streamReducer(s, { type: 'add', alerts: [mkAlert({ id: '100-1', host: 'node-b' })], at: 2 });
    expect(s.alerts).toHaveLength(3);
    expect(s.duplicates).toBe(1);
  });

  it('the host filter shows one host only; empty shows all', () => {
    const s = streamReducer(initialState(), { type: 'add', alerts: [a1, b1, c2], at: 1 });
    const only = visibleAlerts({ alerts: s.alerts, filters: { ...EMPTY_FILTERS, host: 'node-b' } });
    expect(only.map((a) => a.host)).toEqual(['node-b']);
    expect(visibleAlerts({ alerts: s.alerts, filters: EMPTY_FILTERS })).toHaveLength(3);
    expect(matchesFilters(mkAlert({ host: undefined }), { ...EMPTY_FILTERS, host: 'node-a' })).toBe(false);
    const f = streamReducer(s, { type: 'setFilter', patch: { host: 'node-c' } });
    expect(visibleAlerts(f).map((a) => a.id)).toEqual(['101-2']);
    expect(streamReducer(f, { type: 'clearFilters' }).filters.host).toBe('');
  });

  it('lists the hosts seen, sorted, without blanks', () => {
    expect(hostsOf([c2, a1, b1, mkAlert({ host: '' }), mkAlert({ host: undefined }), a1])).toEqual(['node-a', 'node-b', 'node-c']);
  });

  it('sorts by host', () => {
    expect(sortAlerts([c2, a1, b1], { key: 'host', dir: 'asc' }).map((a) => a.host)).toEqual(['node-a', 'node-b', 'node-c']);
  });

  it('keeps the host filter in the URL', () => {
    const h = formatUrlState({ alert: null, incident: null, filters: { ...EMPTY_FILTERS, host: 'node-b' } });
    expect(h).toBe('#host=node-b');
    expect(parseUrlState(h).filters.host).toBe('node-b');
    expect(parseUrlState('#rule=x').filters.host).toBe('');
  });
});
