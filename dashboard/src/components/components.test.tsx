// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { AlertTable } from './AlertTable';
import { AlertDrawer } from './AlertDrawer';
import { ConnectionStatus } from './ConnectionStatus';
import { FilterBar } from './FilterBar';
import { Heatmap } from './Heatmap';
import { HighlightPanel } from './HighlightPanel';
import { LineageView } from './LineageView';
import { MetricsPanel } from './MetricsPanel';
import { StreamPanel } from './StreamPanel';
import { CountsPanel } from './CountsPanel';
import { TokenPrompt } from './TokenPrompt';
import { currentEndpoints, hasToken, TOKEN_KEY } from '../config';
import { EMPTY_FILTERS } from '../state/stream';
import { alertAddr } from '../lib/alert';
import { nextSort } from '../lib/sort';
import { nextMetricsView, EMPTY_METRICS } from '../hooks/useMetrics';
import { mkAlert } from '../test/make';

afterEach(cleanup);

const evil = mkAlert({
  id: '5-5',
  rule_id: 'injection_attempt',
  severity: 'high',
  reason: '<img src=x onerror="window.__pwned=1"> did things',
  event: { type: 'memfd_create', pid: 4242, ppid: 100, comm: '<b>evil</b>', exe: '/tmp/\u202egnp.sh', memfd_name: 'x' },
  lineage: [
    { pid: 100, comm: 'bash', exe: '/usr/bin/bash' },
    { pid: 1, comm: 'systemd' },
  ],
  container: { id: 'abcdef0123456789', pod: 'web-1', namespace: 'shop' },
});

describe('AlertTable / AlertRow', () => {
  it('renders one row per alert with rule, pid, process, container; attacker text stays text', () => {
    const onSelect = vi.fn();
    const { container } = render(<AlertTable alerts={[evil, mkAlert({ id: '4-4', event: { pid: 7, comm: 'sh' } })]} total={2} selectedId="5-5" onSelect={onSelect} />);
    const rows = screen.getAllByTestId('alert-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.getAttribute('data-rule')).toBe('injection_attempt');
    expect(rows[0]!.getAttribute('data-pid')).toBe('4242');
    expect(rows[0]!.getAttribute('aria-selected')).toBe('true');
    expect(within(rows[0]!).getByText('<b>evil</b>')).toBeTruthy();
    expect(rows[0]!.textContent).toContain('shop/web-1');
    expect(rows[0]!.textContent).toContain('/tmp/\\u202egnp.sh');
    expect(container.querySelectorAll('img, b').length).toBe(0);
    fireEvent.click(rows[1]!);
    expect(onSelect).toHaveBeenCalledWith('4-4');
    fireEvent.keyDown(rows[0]!, { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith('5-5');
  });
  it('says why it is empty', () => {
    render(<AlertTable alerts={[]} total={0} selectedId={null} onSelect={() => {}} />);
    expect(screen.getByText(/No alerts yet/)).toBeTruthy();
    cleanup();
    render(<AlertTable alerts={[]} total={3} selectedId={null} onSelect={() => {}} />);
    expect(screen.getByText(/No alert matches the filters/)).toBeTruthy();
  });
  it('renders at most 500 rows', () => {
    const many = Array.from({ length: 620 }, (_, i) => mkAlert({ id: `${i + 1}-${i + 1}` }));
    render(<AlertTable alerts={many} total={620} selectedId={null} onSelect={() => {}} />);
    expect(screen.getAllByTestId('alert-row')).toHaveLength(500);
    expect(screen.getByText(/showing the first 500 of 620/)).toBeTruthy();
  });
});

describe('AlertDrawer', () => {
  it('shows the full alert JSON as escaped text and closes on Escape', () => {
    const onClose = vi.fn();
    const { container } = render(<AlertDrawer alert={evil} onClose={onClose} />);
    const pre = screen.getByTestId('alert-json');
    expect(JSON.parse(pre.textContent ?? '')).toEqual(evil);
    expect(container.querySelector('img')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(screen.getByText('memfd:x')).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });
  it('renders nothing without an alert', () => {
    const { container } = render(<AlertDrawer alert={null} onClose={() => {}} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('LineageView', () => {
  it('lists the ancestry root first, the actor last', () => {
    render(<LineageView alert={evil} />);
    const nodes = screen.getAllByTestId('lineage-node');
    expect(nodes.map((n) => n.getAttribute('data-pid'))).toEqual(['1', '100', '4242']);
    expect(nodes.map((n) => n.getAttribute('data-actor'))).toEqual(['false', 'false', 'true']);
    expect(nodes[2]!.textContent).toContain('<b>evil</b>');
    expect(nodes[2]!.textContent).toContain('injection_attempt');
  });
  it('indents deep trees less so that the actor still fits', () => {
    const lineage = Array.from({ length: 8 }, (_, i) => ({ pid: 100 - i, comm: `p${i}` }));
    render(<LineageView alert={mkAlert({ event: { pid: 200, comm: 'x' }, lineage })} />);
    const nodes = screen.getAllByTestId('lineage-node');
    expect(nodes).toHaveLength(9);
    expect(nodes.map((n) => n.getAttribute('data-pid'))).toEqual(['93', '94', '95', '96', '97', '98', '99', '100', '200']);
    expect(nodes[8]!.style.marginLeft).toBe('80px');
    expect(nodes[1]!.style.marginLeft).toBe('10px');
  });
  it('asks for a selection when none', () => {
    render(<LineageView alert={null} />);
    expect(screen.getByText(/Select an alert/)).toBeTruthy();
  });
});

describe('HighlightPanel', () => {
  it('counts the alerts and lists the latest with the address', () => {
    const rs = [1, 2, 3].map((i) => mkAlert({ id: `${i}-${i}`, rule_id: 'reverse_shell', event: { pid: 10 + i, comm: 'bash', dst_addr: '10.9.8.7', dst_port: 4444 } }));
    const onSelect = vi.fn();
    render(<HighlightPanel title="Reverse shells" ruleId="reverse_shell" alerts={rs} detail={alertAddr} detailLabel="addr" onSelect={onSelect} latest={2} />);
    expect(screen.getByTestId('panel-count').textContent).toBe('3');
    const items = screen.getAllByTestId('panel-item');
    expect(items.map((i) => i.getAttribute('data-pid'))).toEqual(['13', '12']);
    expect(items[0]!.textContent).toContain('10.9.8.7:4444');
    fireEvent.click(items[1]!);
    expect(onSelect).toHaveBeenCalledWith('2-2');
  });
  it('says none seen', () => {
    render(<HighlightPanel title="Injection" ruleId="injection_attempt" alerts={[]} detail={() => null} detailLabel="t" onSelect={() => {}} />);
    expect(screen.getByTestId('panel-count').textContent).toBe('0');
    expect(screen.getByText('none seen')).toBeTruthy();
  });
});

describe('Heatmap', () => {
  it('draws rows and cells with the counts, and picks a row as a filter', () => {
    const now = Date.UTC(2026, 10, 29, 14, 0, 30);
    const alerts = [mkAlert({ ms: now - 1000 }), mkAlert({ ms: now - 2000 }), mkAlert({ ms: now - 61_000, container: { id: 'c', pod: 'p', namespace: 'n' } })];
    const onPick = vi.fn();
    render(<Heatmap alerts={alerts} now={now} bucketMs={60_000} buckets={5} onBucketMs={() => {}} onPickRow={onPick} />);
    const rows = screen.getAllByTestId('heat-row');
    expect(rows.map((r) => [r.getAttribute('data-row'), r.getAttribute('data-total')])).toEqual([
      ['host', '2'],
      ['n/p', '1'],
    ]);
    const cells = screen.getAllByTestId('heat-cell').filter((c) => c.getAttribute('data-row') === 'host');
    expect(cells.map((c) => c.getAttribute('data-count'))).toEqual(['0', '0', '0', '0', '2']);
    expect(screen.getByTestId('heatmap-total').textContent).toBe('3 in window');
    fireEvent.click(screen.getByText('n/p'));
    expect(onPick).toHaveBeenCalledWith('c:n/p');
  });
});

describe('FilterBar and StreamPanel', () => {
  it('toggles severities and sets rule, container and text', () => {
    const onChange = vi.fn();
    render(<FilterBar filters={{ ...EMPTY_FILTERS, severities: ['high'] }} rules={['a', 'b']} containers={[{ value: 'host', label: 'host' }]} onChange={onChange} onClear={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'critical' }));
    expect(onChange).toHaveBeenLastCalledWith({ severities: ['high', 'critical'] });
    fireEvent.click(screen.getByRole('button', { name: 'high' }));
    expect(onChange).toHaveBeenLastCalledWith({ severities: [] });
    fireEvent.change(screen.getByLabelText('rule'), { target: { value: 'b' } });
    expect(onChange).toHaveBeenLastCalledWith({ rule: 'b' });
    fireEvent.change(screen.getByLabelText('container'), { target: { value: 'host' } });
    expect(onChange).toHaveBeenLastCalledWith({ container: 'host' });
    fireEvent.change(screen.getByLabelText('search'), { target: { value: 'bash' } });
    expect(onChange).toHaveBeenLastCalledWith({ text: 'bash' });
  });
  it('shows the paused state with the buffered count', () => {
    const onToggle = vi.fn();
    render(
      <StreamPanel visible={[]} total={0} paused pending={7} filters={EMPTY_FILTERS} rules={[]} containers={[]} selectedId={null}
        onFilter={() => {}} onClearFilters={() => {}} onTogglePause={onToggle} onSelect={() => {}} />,
    );
    expect(screen.getByTestId('pending-count').textContent).toBe('paused · 7 new');
    expect(screen.getByTestId('pause').textContent).toBe('Resume (7)');
    fireEvent.click(screen.getByTestId('pause'));
    expect(onToggle).toHaveBeenCalled();
  });
});

describe('TokenPrompt', () => {
  it('says whether the token is missing or wrong, and hands over the entered token', () => {
    const onToken = vi.fn();
    render(<TokenPrompt hadToken={false} onToken={onToken} />);
    expect(screen.getByTestId('token-prompt').textContent).toContain('rtmon needs an access token (HTTP 401)');
    expect(document.activeElement).toBe(screen.getByTestId('token-input'));
    expect((screen.getByTestId('token-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('token-input'), { target: { value: ' s3cret ' } });
    fireEvent.submit(screen.getByTestId('token-input').closest('form')!);
    expect(onToken).toHaveBeenCalledWith('s3cret');
    cleanup();
    render(<TokenPrompt hadToken onToken={onToken} />);
    expect(screen.getByTestId('token-prompt').textContent).toContain('refused the access token');
  });
  it('an entered token goes to the endpoints and sessionStorage, never to the address bar', () => {
    const before = window.location.href;
    const ep = currentEndpoints('s3cret');
    expect(new URL(ep.events).searchParams.get('token')).toBe('s3cret');
    expect(new URL(ep.alerts).searchParams.get('token')).toBe('s3cret');
    expect(hasToken(ep)).toBe(true);
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBe('s3cret');
    expect(window.location.href).toBe(before);
    expect(window.location.href).not.toContain('s3cret');
    window.sessionStorage.removeItem(TOKEN_KEY);
    expect(hasToken(currentEndpoints())).toBe(false);
  });
});

describe('CountsPanel', () => {
  it('draws stacked bars per rule, switches to severity and host, and a click filters', () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 30);
    const alerts = [
      mkAlert({ rule_id: 'reverse_shell', severity: 'critical', host: 'a', ms: now }),
      mkAlert({ rule_id: 'suspicious_exec', severity: 'low', host: 'b', ms: now - 60_000 }),
      mkAlert({ rule_id: 'suspicious_exec', severity: 'low', host: 'b', ms: now - 60_000 }),
    ];
    const onPick = vi.fn();
    const { container } = render(<CountsPanel alerts={alerts} now={now} bucketMs={60_000} buckets={4} onPick={onPick} />);
    const rows = screen.getAllByTestId('count-row');
    expect(rows.map((r) => [r.getAttribute('data-key'), r.getAttribute('data-total')])).toEqual([
      ['suspicious_exec', '2'],
      ['reverse_shell', '1'],
    ]);
    expect([...rows[0]!.querySelectorAll('.spark-col')].map((c) => c.getAttribute('data-count'))).toEqual(['0', '0', '2', '0']);
    expect(rows[1]!.querySelectorAll('.seg-critical')).toHaveLength(1);
    expect(screen.getByTestId('counts-total').textContent).toBe('3 in window');
    fireEvent.click(within(rows[1]!).getByRole('button'));
    expect(onPick).toHaveBeenCalledWith('rule', 'reverse_shell');
    fireEvent.change(screen.getByTestId('counts-by'), { target: { value: 'severity' } });
    expect(screen.getAllByTestId('count-row').map((r) => r.getAttribute('data-key'))).toEqual(['critical', 'low']);
    fireEvent.change(screen.getByTestId('counts-by'), { target: { value: 'host' } });
    expect(screen.getAllByTestId('count-row').map((r) => r.getAttribute('data-key'))).toEqual(['b', 'a']);
    // a host row filters on that host (the aggregator's view of several nodes)
    expect(container.querySelectorAll('button.count-label')).toHaveLength(2);
    fireEvent.click(within(screen.getAllByTestId('count-row')[0]!).getByRole('button'));
    expect(onPick).toHaveBeenCalledWith('host', 'b');
  });
});

describe('Copy and export', () => {
  it('Copy JSON puts the alert JSON on the clipboard and says so', async () => {
    const copy = vi.fn(async (_text: string) => true);
    render(<AlertDrawer alert={evil} onClose={() => {}} copy={copy} />);
    fireEvent.click(screen.getByTestId('copy-json'));
    await screen.findByText('copied');
    expect(JSON.parse(copy.mock.calls[0]![0] as string)).toEqual(evil);
    expect((copy.mock.calls[0]![0] as string).includes('\u202e')).toBe(false);
  });
  it('a refused clipboard is reported', async () => {
    render(<AlertDrawer alert={evil} onClose={() => {}} copy={async () => false} />);
    fireEvent.click(screen.getByTestId('copy-json'));
    await screen.findByText(/copy failed/);
  });
  it('Export NDJSON downloads exactly the alerts matching the filters', () => {
    const download = vi.fn();
    const shown = [mkAlert({ id: '8-8' }), mkAlert({ id: '7-7' })];
    render(
      <StreamPanel visible={shown} total={5} paused={false} pending={0} filters={EMPTY_FILTERS} rules={[]} containers={[]} selectedId={null}
        onFilter={() => {}} onClearFilters={() => {}} onTogglePause={() => {}} onSelect={() => {}} download={download} />,
    );
    fireEvent.click(screen.getByTestId('export'));
    const [name, text] = download.mock.calls[0]! as [string, string];
    expect(name).toMatch(/^rtmon-alerts-\d{8}-\d{6}\.ndjson$/);
    expect(text.trimEnd().split('\n').map((l) => JSON.parse(l).id)).toEqual(['7-7', '8-8']);
  });
  it('Export is disabled when nothing matches', () => {
    render(
      <StreamPanel visible={[]} total={5} paused={false} pending={0} filters={EMPTY_FILTERS} rules={[]} containers={[]} selectedId={null}
        onFilter={() => {}} onClearFilters={() => {}} onTogglePause={() => {}} onSelect={() => {}} />,
    );
    expect((screen.getByTestId('export') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('AlertTable sorting and times', () => {
  const t0 = new Date(2026, 10, 29, 9, 30, 5).getTime();
  const rows3 = [
    mkAlert({ id: '3-3', severity: 'low', rule_id: 'suspicious_exec', pid: 30, ms: t0 + 2000 }),
    mkAlert({ id: '2-2', severity: 'critical', rule_id: 'reverse_shell', pid: 5, ms: t0 + 1000 }),
    mkAlert({ id: '1-1', severity: 'high', rule_id: 'injection_attempt', pid: 900, ms: t0 }),
  ];
  const order = () => screen.getAllByTestId('alert-row').map((r) => r.getAttribute('data-id'));
  it('sorts by the clicked column, flips on a second click, and marks aria-sort', () => {
    let sort = { key: 'time' as const, dir: 'desc' as const } as import('../lib/sort').Sort;
    const onSort = vi.fn((k: import('../lib/sort').SortKey) => {
      sort = nextSort(sort, k);
    });
    const { rerender } = render(<AlertTable alerts={rows3} total={3} selectedId={null} onSelect={() => {}} sort={sort} onSort={onSort} now={t0 + 60_000} />);
    expect(order()).toEqual(['3-3', '2-2', '1-1']);
    fireEvent.click(screen.getByTestId('sort-severity'));
    expect(onSort).toHaveBeenCalledWith('severity');
    rerender(<AlertTable alerts={rows3} total={3} selectedId={null} onSelect={() => {}} sort={sort} onSort={onSort} now={t0 + 60_000} />);
    expect(order()).toEqual(['2-2', '1-1', '3-3']);
    expect(screen.getByTestId('sort-severity').closest('th')!.getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(screen.getByTestId('sort-pid'));
    rerender(<AlertTable alerts={rows3} total={3} selectedId={null} onSelect={() => {}} sort={sort} onSort={onSort} now={t0 + 60_000} />);
    expect(order()).toEqual(['1-1', '3-3', '2-2']);
    fireEvent.click(screen.getByTestId('sort-pid'));
    rerender(<AlertTable alerts={rows3} total={3} selectedId={null} onSelect={() => {}} sort={sort} onSort={onSort} now={t0 + 60_000} />);
    expect(order()).toEqual(['2-2', '3-3', '1-1']);
    expect(screen.getByTestId('sort-pid').closest('th')!.getAttribute('aria-sort')).toBe('ascending');
  });
  it('shows local date and time with the relative age', () => {
    render(<AlertTable alerts={rows3} total={3} selectedId={null} onSelect={() => {}} now={t0 + 3 * 60_000 + 10_000} />);
    const first = screen.getAllByTestId('alert-row')[2]!;
    expect(first.querySelector('td.time')!.textContent).toBe('2026-11-29 09:30:053 min ago');
  });
});

describe('ConnectionStatus', () => {
  it('shows the state and the last event time', () => {
    const t = new Date(2026, 10, 29, 10, 0, 0).getTime(); // local time: the viewer's zone
    render(<ConnectionStatus state="reconnecting" lastEventAt={t} now={t + 15_000} />);
    const el = screen.getByTestId('conn-state');
    expect(el.getAttribute('data-state')).toBe('reconnecting');
    expect(el.textContent).toBe('reconnectinglast alert 15 s ago (2026-11-29 10:00:00)');
  });
});

describe('MetricsPanel', () => {
  it('draws event rates by type, drops and gauges from two polls', () => {
    const a = nextMetricsView(EMPTY_METRICS, null, 'rtmon_events_total{type="exec"} 10\nrtmon_events_total{type="connect"} 100\nrtmon_drops_total{cause="ringbuf"} 0\n', 1000);
    const b = nextMetricsView(
      a.view,
      a.snap,
      'rtmon_events_total{type="exec"} 40\nrtmon_events_total{type="connect"} 100\nrtmon_drops_total{cause="ringbuf"} 6\nrtmon_ringbuf_fill_ratio 0.25\nrtmon_processes 12\nrtmon_uptime_seconds 61\n',
      4000,
    );
    expect(a.view.eventRateHistory).toEqual([]);
    expect(b.view.eventRateHistory).toEqual([10]);
    expect(b.view.dropRateHistory).toEqual([2]);
    render(<MetricsPanel m={b.view} />);
    const rows = screen.getByTestId('event-rates').querySelectorAll('.bar-row');
    expect([...rows].map((r) => [r.getAttribute('data-key'), r.textContent])).toEqual([
      ['exec', 'exec10/s'],
      ['connect', 'connect0/s'],
    ]);
    expect(screen.getByTestId('drops').textContent).toBe('ringbuf6 (2.0/s)');
    expect(screen.getByTestId('ringbuf').textContent).toBe('25.0%');
    expect(screen.getByText('1m 01s')).toBeTruthy();
    expect(screen.getByText('10/s total')).toBeTruthy();
  });
  it('keeps at most 30 history points', () => {
    let v = EMPTY_METRICS;
    let snap = null;
    for (let i = 0; i < 40; i++) {
      const r = nextMetricsView(v, snap, `rtmon_events_total{type="exec"} ${i * 3}\n`, i * 1000);
      v = r.view;
      snap = r.snap;
    }
    expect(v.eventRateHistory).toHaveLength(30);
    expect(v.eventRateHistory.every((x) => x === 3)).toBe(true);
  });
});

describe('host column and host filter (alerts from more than one host)', () => {
  const a = mkAlert({ id: '10-1', host: 'node-a' });
  const b = mkAlert({ id: '10-1', host: 'node-b' });

  it('one host: no host column, no host filter', () => {
    const { container } = render(
      <StreamPanel visible={[a]} total={1} paused={false} pending={0} filters={EMPTY_FILTERS} rules={[]} containers={[]} hosts={['node-a']}
        selectedId={null} onFilter={() => {}} onClearFilters={() => {}} onTogglePause={() => {}} onSelect={() => {}} />,
    );
    expect(container.querySelector('th[data-col="host"]')).toBeNull();
    expect(container.querySelector('td[data-col="host"]')).toBeNull();
    expect(screen.queryByTestId('host-filter')).toBeNull();
  });

  it('several hosts: a host column per row and a host filter that sets the filter', () => {
    const onFilter = vi.fn();
    const { container } = render(
      <StreamPanel visible={[a, b]} total={2} paused={false} pending={0} filters={EMPTY_FILTERS} rules={[]} containers={[]} hosts={['node-a', 'node-b']}
        selectedId={null} onFilter={onFilter} onClearFilters={() => {}} onTogglePause={() => {}} onSelect={() => {}} />,
    );
    expect(container.querySelector('th[data-col="host"]')).not.toBeNull();
    // the same id on two hosts: two rows, each with its host
    const cells = [...container.querySelectorAll('td[data-col="host"]')].map((td) => td.textContent);
    expect(cells).toEqual(['node-a', 'node-b']);
    const sel = screen.getByTestId('host-filter') as HTMLSelectElement;
    expect([...sel.options].map((o) => o.value)).toEqual(['', 'node-a', 'node-b']);
    fireEvent.change(sel, { target: { value: 'node-b' } });
    expect(onFilter).toHaveBeenCalledWith({ host: 'node-b' });
  });

  it('a host filter from a link stays visible (and clearable) even before that host sent anything', () => {
    const onClear = vi.fn();
    render(<FilterBar filters={{ ...EMPTY_FILTERS, host: 'node-z' }} rules={[]} containers={[]} hosts={[]} onChange={() => {}} onClear={onClear} />);
    const sel = screen.getByTestId('host-filter') as HTMLSelectElement;
    expect(sel.value).toBe('node-z');
    fireEvent.click(screen.getByText('clear'));
    expect(onClear).toHaveBeenCalled();
  });

  it('a host picked in the counts panel filters on it', () => {
    const onPick = vi.fn();
    render(<CountsPanel alerts={[a, b]} now={Date.UTC(2026, 10, 29, 14, 40)} bucketMs={60_000} buckets={10} onPick={onPick} initialBy="host" />);
    fireEvent.click(screen.getByText('node-b'));
    expect(onPick).toHaveBeenCalledWith('host', 'node-b');
  });
});
