import { memo } from 'react';
import type { Alert } from '../types';
import { alertTimeMs, containerLabel, displayText, formatAgo, formatLocal, formatTime, processLabel, summaryView } from '../lib/alert';
import { SeverityBadge } from './SeverityBadge';

export interface AlertRowProps {
  alert: Alert;
  selected: boolean;
  onSelect: (id: string) => void;
  /** browser time (ms) for the age */
  now: number;
  /** a host cell after the time (alerts from more than one host) */
  showHost?: boolean;
}

function HostCell({ host }: { host: unknown }) {
  return (
    <td className="mono host" data-col="host">
      {typeof host === 'string' && host !== '' ? displayText(host) : '-'}
    </td>
  );
}

/** Local date and time over the age ("3 min ago"); the alert's own UTC timestamp as the tooltip. */
function TimeCell({ ms, raw, now }: { ms: number | null; raw: string | undefined; now: number }) {
  return (
    <td className="mono time" title={raw ?? ''} data-col="time">
      <span className="nowrap">{formatLocal(ms)}</span>
      <span className="muted small age">{formatAgo(ms, now)}</span>
    </td>
  );
}

function AlertRowImpl({ alert, selected, onSelect, now, showHost = false }: AlertRowProps) {
  const t = alertTimeMs(alert);
  const p = processLabel(alert);
  const pid = alert.event?.pid;
  const where = containerLabel(alert.container);
  const sum = summaryView(alert);
  if (sum) {
    return (
      <tr
        className={selected ? 'row summary selected' : 'row summary'}
        data-testid="summary-row"
        data-id={alert.id}
        data-rule={alert.rule_id}
        tabIndex={0}
        aria-selected={selected}
        onClick={() => onSelect(alert.id)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onSelect(alert.id);
          }
        }}
      >
        <TimeCell ms={t} raw={alert.timestamp} now={now} />
        {showHost && <HostCell host={alert.host} />}
        <td>
          <SeverityBadge severity={alert.severity} />
        </td>
        <td className="mono rule" data-col="rule">
          {displayText(alert.rule_id)}
        </td>
        <td className="mono num" data-col="count" title="repeats summarised">
          ×{sum.count ?? '?'}
        </td>
        <td colSpan={3} className="reason" title={displayText(alert.reason)}>
          <span className="tag">{displayText(sum.kind)} summary</span> {sum.count ?? '?'} repeats
          {sum.first && ` ${formatLocal(Date.parse(sum.first))}`}
          {sum.last && `–${formatTime(Date.parse(sum.last))}`}
          {sum.pids.length > 0 && ` · pids ${sum.pids.slice(0, 8).join(', ')}${sum.pids.length > 8 ? ' …' : ''}`}
          {sum.key !== '' && ` · ${sum.key}`}
        </td>
      </tr>
    );
  }
  return (
    <tr
      className={selected ? 'row selected' : 'row'}
      data-testid="alert-row"
      data-id={alert.id}
      data-rule={alert.rule_id}
      data-pid={typeof pid === 'number' ? pid : ''}
      data-incident={typeof alert.incident_id === 'string' ? alert.incident_id : ''}
      data-host={typeof alert.host === 'string' ? alert.host : ''}
      tabIndex={0}
      aria-selected={selected}
      onClick={() => onSelect(alert.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(alert.id);
        }
      }}
    >
      <TimeCell ms={t} raw={alert.timestamp} now={now} />
      {showHost && <HostCell host={alert.host} />}
      <td>
        <SeverityBadge severity={alert.severity} />
      </td>
      <td className="mono rule" data-col="rule">
        {displayText(alert.rule_id)}
      </td>
      <td className="mono num" data-col="pid">
        {typeof pid === 'number' ? pid : '-'}
      </td>
      <td className="proc" title={p.exe}>
        <span className="mono">{p.comm}</span>
        {p.exe !== '' && <span className="muted exe"> {p.exe}</span>}
      </td>
      <td className={alert.container ? 'mono ctr' : 'mono ctr muted'} title={alert.container?.id ? displayText(alert.container.id) : 'host process'}>
        {displayText(where)}
      </td>
      <td className="reason" title={displayText(alert.reason)}>
        {displayText(alert.reason)}
      </td>
    </tr>
  );
}

export const AlertRow = memo(AlertRowImpl);
