// @vitest-environment jsdom
// jsdom has no EventSource: a small stand-in records what the hook does with it. The real
// browser EventSource is exercised by the end-to-end test (tests/integration/dashboard_e2e.sh).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { useReducer } from 'react';
import { useAlertStream } from './useAlertStream';
import { initialState, streamReducer } from '../state/stream';

class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  listeners: Record<string, ((e: MessageEvent) => void)[]> = {};
  constructor(public url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: string) {
    for (const fn of this.listeners[type] ?? []) fn(new MessageEvent(type, { data }));
  }
}

const alertJson = (id: string, pid: number) => JSON.stringify({ id, rule_id: 'reverse_shell', severity: 'critical', event: { pid } });

function setup(alertsUrl: string | null = null, focusId: string | null = null) {
  return renderHook(() => {
    const [state, dispatch] = useReducer(streamReducer, undefined, () => initialState());
    useAlertStream('http://h/events?token=t', alertsUrl, dispatch, focusId);
    return state;
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.all = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('useAlertStream', () => {
  it('connects, reports open, batches alerts and counts malformed data', () => {
    const { result } = setup();
    expect(FakeEventSource.all).toHaveLength(1);
    expect(FakeEventSource.all[0]!.url).toBe('http://h/events?token=t');
    expect(result.current.conn).toBe('connecting');
    const es = FakeEventSource.all[0]!;
    act(() => {
      es.readyState = 1;
      es.onopen?.();
    });
    expect(result.current.conn).toBe('open');
    act(() => {
      es.emit('alert', alertJson('1-1', 11));
      es.emit('alert', alertJson('1-2', 12));
      es.emit('alert', 'not json');
    });
    expect(result.current.alerts).toHaveLength(0); // batched
    act(() => {
      vi.advanceTimersByTime(200);
    });
    expect(result.current.alerts.map((a) => a.event?.pid)).toEqual([11, 12]);
    expect(result.current.malformed).toBe(1);
    expect(result.current.lastEventAt).not.toBeNull();
  });
  it('shows reconnecting while the browser retries, and reopens a closed source with backoff', () => {
    const { result } = setup();
    const es = FakeEventSource.all[0]!;
    act(() => {
      es.readyState = 0;
      es.onerror?.();
    });
    expect(result.current.conn).toBe('reconnecting');
    expect(FakeEventSource.all).toHaveLength(1);
    act(() => {
      es.readyState = 2;
      es.onerror?.();
    });
    expect(es.closed).toBe(true);
    act(() => {
      vi.advanceTimersByTime(999);
    });
    expect(FakeEventSource.all).toHaveLength(1);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(FakeEventSource.all).toHaveLength(2);
    expect(result.current.conn).toBe('reconnecting');
    act(() => {
      FakeEventSource.all[1]!.onopen?.();
    });
    expect(result.current.conn).toBe('open');
  });
  it('closes the source on unmount', () => {
    const { unmount } = setup();
    unmount();
    expect(FakeEventSource.all[0]!.closed).toBe(true);
  });
  it('loads recent history from /api/alerts and dedupes it with the live stream', async () => {
    const fetchMock = vi.fn(async (url: string) =>
      url.includes('severity=')
        ? new Response('[]', { status: 200 })
        : new Response(JSON.stringify([JSON.parse(alertJson('1-1', 11)), JSON.parse(alertJson('1-0', 10)), { bad: 1 }]), {
            status: 200,
            headers: { 'Rtmon-History': 'journal', 'Rtmon-Next-Cursor': 's=1;i=2' },
          }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const { result } = setup('http://h/api/alerts?limit=500&token=t');
    act(() => {
      FakeEventSource.all[0]!.emit('alert', alertJson('1-1', 11));
    });
    await act(async () => {
      await vi.runAllTimersAsync();
    });
    expect(fetchMock).toHaveBeenCalledWith('http://h/api/alerts?limit=500&token=t', expect.anything());
    expect(result.current.alerts.map((a) => a.id)).toEqual(['1-0', '1-1']);
    expect(result.current.malformed).toBe(1);
    // the first page starts the cursor chain of "load older"
    expect(result.current.older).toMatchObject({ cursor: 's=1;i=2', source: 'journal' });
  });
  it('after a reload, the newest high and critical alerts come too, and a deep-linked alert by its time', async () => {
    const urls: string[] = [];
    const fetchMock = vi.fn(async (url: string) => {
      urls.push(url);
      const u = new URL(url);
      if (u.searchParams.get('severity') === 'high,critical') return new Response(`[${alertJson('5-1', 51)}]`, { status: 200 });
      if (u.searchParams.get('since') === '3') return new Response(`[${alertJson('3-7', 37)}]`, { status: 200 });
      return new Response(`[${alertJson('9-1', 91)}]`, { status: 200 }); // no cursor: the history ends here
    });
    vi.stubGlobal('fetch', fetchMock);
    const { result } = setup('http://h/api/alerts?limit=500&token=t', '3-7');
    await act(async () => {
      await vi.runAllTimersAsync();
    });
    expect(urls).toHaveLength(3);
    expect(new URL(urls[2]!).searchParams.get('until')).toBe('3');
    expect(new URL(urls[1]!).searchParams.get('token')).toBe('t');
    expect(result.current.alerts.map((a) => a.id)).toEqual(['3-7', '5-1', '9-1']);
    expect(result.current.older).toMatchObject({ cursor: null, source: 'memory' });
  });
  it('a 401 on the history is final: unauthorized, the source closed, no retry', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('unauthorized', { status: 401 })));
    const { result } = setup('http://h/api/alerts?limit=500&token=bad');
    await act(async () => {
      await vi.runAllTimersAsync();
    });
    expect(result.current.conn).toBe('unauthorized');
    expect(FakeEventSource.all[0]!.closed).toBe(true);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(FakeEventSource.all).toHaveLength(1);
  });
  it('when the source gives up, /api/alerts?limit=1 tells a 401 from an outage', async () => {
    let status = 503;
    const fetchMock = vi.fn(async (url: string) => new Response(url.includes('limit=1&') || url.endsWith('limit=1') ? 'x' : '[]', { status: url.includes('limit=1') ? status : 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const { result } = setup('http://h/api/alerts?limit=500&token=t');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    act(() => {
      FakeEventSource.all[0]!.readyState = 2;
      FakeEventSource.all[0]!.onerror?.();
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(fetchMock).toHaveBeenCalledWith('http://h/api/alerts?limit=1&token=t', expect.anything());
    expect(FakeEventSource.all).toHaveLength(2); // an outage: retried
    expect(result.current.conn).toBe('reconnecting');
    status = 401;
    act(() => {
      FakeEventSource.all[1]!.readyState = 2;
      FakeEventSource.all[1]!.onerror?.();
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(result.current.conn).toBe('unauthorized');
    expect(FakeEventSource.all).toHaveLength(2);
  });
});
