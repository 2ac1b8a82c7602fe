// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { AlertTable } from './AlertTable';
import { AlertDrawer } from './AlertDrawer';
import { IncidentPanel } from './IncidentPanel';
import { LineageView } from './LineageView';
import { mkAlert } from '../test/make';
import type { Alert } from '../types';

afterEach(cleanup);

const summary: Alert = {
  kind: 'alert',
  id: '9-9',
  rule_id: 'suspicious_exec',
  severity: 'medium',
  reason: 'folded',
  summary: { kind: 'rate_limit', count: 41, first: '2026-11-29T14:36:40Z', last: '2026-11-29T14:37:40Z', pids: [11, 12], exe: '/tmp/x' },
};

const update: Alert = {
  kind: 'incident',
  id: '20-20',
  incident_id: '10-10',
  rule_id: 'reverse_shell',
  severity: 'critical',
  incident: {
    state: 'closed',
    close_reason: 'exited',
    update: 3,
    opened: '2026-11-29T14:36:40Z',
    last_activity: '2026-11-29T14:36:45Z',
    root_pid: 4000,
    root_exe: '/usr/bin/bash',
    rules: ['reverse_shell'],
    counts: { alerts: 1, execs: 2, connects: 1, processes: 2 },
    timeline: [
      { time: '2026-11-29T14:36:41Z', type: 'connect', pid: 4000, addr: '10.0.0.9:4444', rules: ['reverse_shell'], alert_id: '10-10' },
      { time: '2026-11-29T14:36:42Z', type: 'exec', pid: 4001, exe: '/usr/bin/cat', args: ['cat', '/etc/\u202eshadow'] },
    ],
  },
};

describe('summary rows', () => {
  it('render as a summary (count, kind, pids, key), never with process "?" or pid "-"', () => {
    render(<AlertTable alerts={[summary]} total={1} selectedId={null} onSelect={() => {}} />);
    expect(screen.queryAllByTestId('alert-row')).toHaveLength(0);
    const row = screen.getByTestId('summary-row');
    expect(row.textContent).toContain('rate_limit summary');
    expect(row.textContent).toContain('41 repeats');
    expect(row.textContent).toContain('pids 11, 12');
    expect(row.textContent).toContain('/tmp/x');
    expect(row.textContent).not.toContain('?');
  });
  it('have no lineage node', () => {
    render(<LineageView alert={summary} />);
    expect(screen.queryAllByTestId('lineage-node')).toHaveLength(0);
    expect(screen.getByTestId('lineage-none')).toBeTruthy();
  });
});

describe('IncidentPanel', () => {
  it('lists incidents with state and counts; selecting one shows its timeline and raised alerts', () => {
    const onInc = vi.fn();
    const onAlert = vi.fn();
    const raised = mkAlert({ id: '10-10', rule_id: 'reverse_shell', incident_id: '10-10' });
    const { rerender } = render(<IncidentPanel incidents={[update]} selected={null} alerts={[raised]} onSelectIncident={onInc} onSelectAlert={onAlert} />);
    const item = screen.getByTestId('incident-item');
    expect(item.getAttribute('data-state')).toBe('closed');
    expect(item.textContent).toContain('1 alerts');
    expect(item.textContent).toContain('2 execs');
    expect(screen.queryByTestId('incident-timeline')).toBeNull();
    fireEvent.click(item);
    expect(onInc).toHaveBeenCalledWith('10-10');
    rerender(<IncidentPanel incidents={[update]} selected="10-10" alerts={[raised]} onSelectIncident={onInc} onSelectAlert={onAlert} />);
    const entries = screen.getAllByTestId('timeline-entry');
    expect(entries).toHaveLength(2);
    expect(entries[0]!.textContent).toContain('10.0.0.9:4444');
    // attacker text in args is made visible
    expect(entries[1]!.textContent).toContain('\\u202eshadow');
    expect(entries[1]!.textContent).not.toContain('\u202e');
    expect(screen.getByTestId('incident-detail').textContent).toContain('closed (exited)');
    fireEvent.click(within(screen.getByTestId('incident-detail')).getByTestId('incident-alert'));
    expect(onAlert).toHaveBeenCalledWith('10-10');
  });
});

describe('AlertDrawer incident link', () => {
  it('shows the incident of an alert and links to it', () => {
    const onInc = vi.fn();
    render(<AlertDrawer alert={mkAlert({ incident_id: '10-10' })} onClose={() => {}} onIncident={onInc} />);
    fireEvent.click(screen.getByTestId('drawer-incident'));
    expect(onInc).toHaveBeenCalledWith('10-10');
  });
});

describe('raw JSON panel', () => {
  it('escapes U+202E, ANSI escapes and newlines, and stays valid JSON', async () => {
    const { safeJson } = await import('./JsonView');
    const v = { comm: 'e2e\u202eexe', args: ['\u001b[31mred', 'a\nb', 'zw\u200bsp'] };
    const s = safeJson(v);
    expect(s).not.toMatch(/[\u202e\u001b\u200b]/);
    expect(s).toContain('\\u202e');
    expect(s).toContain('\\u001b');
    expect(s).toContain('a\\nb');
    expect(JSON.parse(s)).toEqual(v);
  });
});

describe('AlertDrawer keyboard', () => {
  it('returns focus to the row when it closes, and Tab stays inside', () => {
    const a = mkAlert({ incident_id: '10-10' });
    const row = document.createElement('button');
    row.textContent = 'row';
    document.body.appendChild(row);
    row.focus();
    const { rerender } = render(<AlertDrawer alert={a} onClose={() => {}} onIncident={() => {}} />);
    const close = screen.getByRole('button', { name: 'close detail' });
    expect(document.activeElement).toBe(close);
    const link = screen.getByTestId('copy-json'); // the last focusable
    // Tab from the last focusable wraps to the first, Shift+Tab from the first to the last
    link.focus();
    fireEvent.keyDown(window, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(window, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(link);
    rerender(<AlertDrawer alert={null} onClose={() => {}} onIncident={() => {}} />);
    expect(document.activeElement).toBe(row);
    row.remove();
  });
});
