// @vitest-environment jsdom
// "Load older": the button follows the cursor with the filters sent to the server, the page joins the
// stream (deduped), the chain ends with "no older alerts", and a failed page says so and can be retried.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useReducer } from 'react';
import { LoadOlder } from './LoadOlder';
import { useLoadOlder } from '../hooks/useLoadOlder';
import { initialState, streamReducer, type StreamState } from '../state/stream';
import { mkAlert } from '../test/make';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Harness({ init, onState }: { init: StreamState; onState: (s: StreamState) => void }) {
  const [state, dispatch] = useReducer(streamReducer, init);
  const load = useLoadOlder('http://h/api/alerts?limit=500&token=t', state.older, state.filters, dispatch);
  onState(state);
  return <LoadOlder older={state.older} onLoad={load} />;
}

describe('LoadOlder', () => {
  it('renders nothing before the first page, then a button or the end of history', () => {
    const base = initialState().older;
    const { container, rerender } = render(<LoadOlder older={base} onLoad={() => {}} />);
    expect(container.textContent).toBe('');
    rerender(<LoadOlder older={{ ...base, source: 'journal', cursor: 'c' }} onLoad={() => {}} />);
    expect(screen.getByTestId('load-older').textContent).toBe('Load older alerts');
    rerender(<LoadOlder older={{ ...base, source: 'memory', cursor: null }} onLoad={() => {}} />);
    expect(screen.getByTestId('history-end').textContent).toContain('No older alerts');
  });

  it('follows the cursor with the server-side filters and merges the page', async () => {
    const urls: string[] = [];
    const older = mkAlert({ id: '5-1', severity: 'critical', rule_id: 'reverse_shell' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        return new Response(JSON.stringify([older]), { status: 200, headers: { 'Rtmon-Next-Cursor': 'c2', 'Rtmon-History': 'journal' } });
      }),
    );
    const init: StreamState = {
      ...streamReducer(initialState(), { type: 'add', alerts: [mkAlert({ id: '9-1' })], at: 1 }),
      filters: { severities: ['critical'], rule: 'reverse_shell', text: '', container: '', host: 'node-b' },
      older: { cursor: 'c1', source: 'journal', loading: false, error: '' },
    };
    let last = init;
    render(<Harness init={init} onState={(s) => (last = s)} />);
    await act(async () => {
      fireEvent.click(screen.getByTestId('load-older'));
    });
    const u = new URL(urls[0]!);
    expect(u.searchParams.get('cursor')).toBe('c1');
    expect(u.searchParams.get('severity')).toBe('critical');
    expect(u.searchParams.get('rule')).toBe('reverse_shell');
    expect(u.searchParams.get('host')).toBe('node-b');
    expect(u.searchParams.get('token')).toBe('t');
    expect(last.alerts.map((a) => a.id)).toEqual(['5-1', '9-1']);
    expect(last.older).toMatchObject({ cursor: 'c2', loading: false, error: '' });
    await act(async () => {
      fireEvent.click(screen.getByTestId('load-older'));
    });
    expect(new URL(urls[1]!).searchParams.get('cursor')).toBe('c2');
    expect(last.duplicates).toBe(1);
  });

  it('a failed page is reported and the same cursor can be tried again', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('history unavailable', { status: 503 })));
    const init: StreamState = { ...initialState(), older: { cursor: 'c1', source: 'journal', loading: false, error: '' } };
    let last = init;
    render(<Harness init={init} onState={(s) => (last = s)} />);
    await act(async () => {
      fireEvent.click(screen.getByTestId('load-older'));
    });
    expect(screen.getByTestId('load-older-error').textContent).toContain('HTTP 503');
    expect(last.older.cursor).toBe('c1');
    expect((screen.getByTestId('load-older') as HTMLButtonElement).disabled).toBe(false);
  });
});
