import { describe, expect, it } from 'vitest';
import { alertByIdUrl, idMicros, pageUrl, readPage } from './history';

const base = 'http://h:8090/api/alerts?limit=500&token=t';
const hdr = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });

describe('pageUrl', () => {
  it('keeps the token and sets cursor and server-side filters', () => {
    const u = new URL(pageUrl(base, { cursor: 's=ab;i=1f', severities: ['high', 'critical'], rule: 'reverse_shell' }));
    expect(u.searchParams.get('token')).toBe('t');
    expect(u.searchParams.get('limit')).toBe('500');
    expect(u.searchParams.get('cursor')).toBe('s=ab;i=1f');
    expect(u.searchParams.get('severity')).toBe('high,critical');
    expect(u.searchParams.get('rule')).toBe('reverse_shell');
    expect(u.toString()).toContain('cursor=s%3Dab%3Bi%3D1f');
  });
  it('leaves out what is not set', () => {
    const u = new URL(pageUrl(base, { cursor: null, severities: [], rule: '' }));
    expect([...u.searchParams.keys()].sort()).toEqual(['limit', 'token']);
  });
});

describe('alertByIdUrl', () => {
  it('asks for the alert time of the id, both bounds', () => {
    const u = new URL(alertByIdUrl(base, '1796523218123456-42')!);
    expect(u.searchParams.get('since')).toBe('1796523218123456');
    expect(u.searchParams.get('until')).toBe('1796523218123456');
    expect(idMicros('x-1')).toBeNull();
    expect(alertByIdUrl(base, 'nope')).toBeNull();
  });
});

describe('readPage', () => {
  it('reads alerts, the next cursor and the source; counts what is not an alert', () => {
    const body = [{ id: '1-1', rule_id: 'r', severity: 'high' }, { nope: 1 }];
    const p = readPage(body, hdr({ 'Rtmon-Next-Cursor': 's=1;i=2', 'Rtmon-History': 'journal' }));
    expect(p.alerts.map((a) => a.id)).toEqual(['1-1']);
    expect(p.malformed).toBe(1);
    expect(p.next).toBe('s=1;i=2');
    expect(p.source).toBe('journal');
  });
  it('no cursor header: no older page', () => {
    const p = readPage([], hdr({}));
    expect(p.next).toBeNull();
    expect(p.source).toBeNull();
    expect(readPage({ not: 'an array' }, hdr({})).alerts).toEqual([]);
  });
});
