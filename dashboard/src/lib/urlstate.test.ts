import { describe, expect, it } from 'vitest';
import { formatUrlState, parseUrlState } from './urlstate';
import { EMPTY_FILTERS } from '../state/stream';
import { DEFAULT_SORT } from './sort';

describe('URL state', () => {
  it('round-trips the selected alert, incident and filters', () => {
    const s = {
      alert: '17-3',
      incident: '10-1',
      filters: { severities: ['high', 'critical'] as ('high' | 'critical')[], rule: 'reverse_shell', text: 'nc -e', container: 'ns:shop', host: 'node-b' },
      sort: { key: 'severity' as const, dir: 'desc' as const },
    };
    const h = formatUrlState(s);
    expect(h.startsWith('#')).toBe(true);
    expect(parseUrlState(h)).toEqual(s);
  });
  it('an empty or foreign fragment is the default view; unknown severities are dropped', () => {
    expect(formatUrlState({ alert: null, incident: null, filters: EMPTY_FILTERS })).toBe('');
    expect(parseUrlState('')).toEqual({ alert: null, incident: null, filters: EMPTY_FILTERS, sort: DEFAULT_SORT });
    expect(formatUrlState({ alert: null, incident: null, filters: EMPTY_FILTERS, sort: DEFAULT_SORT })).toBe('');
    expect(parseUrlState('#sort=bogus:up').sort).toEqual(DEFAULT_SORT);
    expect(parseUrlState('#sev=bogus,low').filters.severities).toEqual(['low']);
  });
});
