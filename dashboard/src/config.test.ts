import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from './config';

describe('resolveEndpoints', () => {
  it('uses VITE_EVENTS_URL when set, with siblings beside it', () => {
    expect(resolveEndpoints({ envUrl: 'http://10.0.0.5:9000/rtmon/events', dev: false, href: 'http://x/' })).toEqual({
      events: 'http://10.0.0.5:9000/rtmon/events',
      metrics: 'http://10.0.0.5:9000/rtmon/metrics',
      alerts: 'http://10.0.0.5:9000/rtmon/api/alerts?limit=500',
    });
  });
  it('uses the same origin for a production build served over http', () => {
    expect(resolveEndpoints({ envUrl: undefined, dev: false, href: 'http://127.0.0.1:8090/index.html' }).events).toBe('http://127.0.0.1:8090/events');
    expect(resolveEndpoints({ envUrl: '', dev: false, href: 'https://mon.example/' }).metrics).toBe('https://mon.example/metrics');
  });
  it('falls back to the default on the dev server and file://', () => {
    expect(resolveEndpoints({ envUrl: undefined, dev: true, href: 'http://localhost:5173/' }).events).toBe('http://localhost:8090/events');
    expect(resolveEndpoints({ envUrl: undefined, dev: false, href: 'file:///srv/dist/index.html' }).events).toBe('http://localhost:8090/events');
  });
  it('passes ?token= on to every endpoint', () => {
    const e = resolveEndpoints({ envUrl: undefined, dev: false, href: 'http://h:8090/?token=s%20e+cret&x=1' });
    expect(e.events).toBe('http://h:8090/events?token=s+e+cret');
    expect(new URL(e.events).searchParams.get('token')).toBe('s e cret');
    expect(new URL(e.metrics).searchParams.get('token')).toBe('s e cret');
    expect(new URL(e.alerts).searchParams.get('token')).toBe('s e cret');
    expect(new URL(e.alerts).searchParams.get('limit')).toBe('500');
  });
  it('resolves a relative VITE_EVENTS_URL against the page', () => {
    expect(resolveEndpoints({ envUrl: '/api/v1/events', dev: false, href: 'http://h:1/x/' }).metrics).toBe('http://h:1/api/v1/metrics');
  });
});

import { pageToken } from './config';

describe('pageToken', () => {
  it('takes ?token= out of the address bar and keeps it', () => {
    const r = pageToken('http://h:8090/?token=s3cret#alert=1-1', null);
    expect(r.token).toBe('s3cret');
    expect(r.clean).toBe('http://h:8090/#alert=1-1');
    expect(r.href).toContain('token=s3cret');
  });
  it('uses the stored token when the URL has none; none at all is none', () => {
    const r = pageToken('http://h:8090/', 'kept');
    expect(r.token).toBe('kept');
    expect(r.clean).toBeNull();
    expect(new URL(r.href).searchParams.get('token')).toBe('kept');
    expect(pageToken('http://h:8090/', null)).toEqual({ token: null, clean: null, href: 'http://h:8090/' });
  });
});
