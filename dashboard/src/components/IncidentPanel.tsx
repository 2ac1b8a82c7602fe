import type { Alert, TimelineEntry } from '../types';
import { displayText, formatWhen, incidentIdOf } from '../lib/alert';
import { SeverityBadge } from './SeverityBadge';

export interface IncidentPanelProps {
  /** latest update of each incident, newest activity first */
  incidents: Alert[];
  selected: string | null;
  /** full alerts held, to show the alerts an incident raised */
  alerts: Alert[];
  onSelectIncident: (id: string | null) => void;
  onSelectAlert: (id: string) => void;
  latest?: number;
}

function timeOf(s: unknown): string {
  if (typeof s !== 'string') return '-';
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) return displayText(s);
  return formatWhen(ms, Date.now());
}

function entryText(e: TimelineEntry): string {
  const parts: string[] = [];
  if (typeof e.exe === 'string') parts.push(e.exe);
  if (Array.isArray(e.args) && e.args.length > 0) parts.push(`[${e.args.join(' ')}${e.args_truncated ? ' …' : ''}]`);
  if (typeof e.addr === 'string') parts.push(`→ ${e.addr}`);
  if (typeof e.memfd_name === 'string') parts.push(`memfd:${e.memfd_name}`);
  if (typeof e.target_pid === 'number') parts.push(`target pid ${e.target_pid}`);
  return displayText(parts.join(' '));
}

/** Incidents (attacks) with their state and counts; the selected one shows its timeline. */
export function IncidentPanel({ incidents, selected, alerts, onSelectIncident, onSelectAlert, latest = 50 }: IncidentPanelProps) {
  const shown = incidents.slice(0, latest);
  const cur = selected === null ? null : (incidents.find((i) => (incidentIdOf(i) ?? i.id) === selected) ?? null);
  const raised = selected === null ? [] : alerts.filter((a) => incidentIdOf(a) === selected);
  return (
    <section className="card" aria-label="incidents" data-testid="incident-panel">
      <div className="card-head">
        <h2>Incidents</h2>
        <span className="spacer" />
        <span className="muted small" data-testid="incident-count">
          {incidents.length}
        </span>
      </div>
      <ul className="inc-list">
        {shown.length === 0 && <li className="muted small pad">no incident yet</li>}
        {shown.map((u) => {
          const id = incidentIdOf(u) ?? u.id;
          const inc = u.incident ?? {};
          const c = inc.counts ?? {};
          return (
            <li key={id}>
              <button
                type="button"
                className={id === selected ? 'inc-item selected' : 'inc-item'}
                aria-pressed={id === selected}
                data-testid="incident-item"
                data-incident={id}
                data-state={inc.state ?? ''}
                onClick={() => onSelectIncident(id === selected ? null : id)}
              >
                <SeverityBadge severity={u.severity} />
                <span className="mono">{displayText(u.rule_id)}</span>
                <span className="mono muted">
                  {displayText(inc.root_exe ?? '?')} pid {inc.root_pid ?? '?'}
                </span>
                <span className={inc.state === 'closed' ? 'tag' : 'tag open'}>{displayText(inc.state ?? '?')}</span>
                <span className="muted small">
                  {c['alerts'] ?? 0} alerts · {c['execs'] ?? 0} execs · {c['connects'] ?? 0} connects · {c['processes'] ?? 0} procs
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {cur && (
        <div className="card-body" data-testid="incident-detail" data-incident={selected ?? ''}>
          <div className="small">
            <span className="mono">{displayText(selected)}</span> · opened {timeOf(cur.incident?.opened)} · last activity{' '}
            {timeOf(cur.incident?.last_activity)} · update {cur.incident?.update ?? '?'}
            {cur.incident?.state === 'closed' && ` · closed (${displayText(cur.incident.close_reason ?? '?')})`}
            {cur.incident?.rules && cur.incident.rules.length > 0 && ` · rules ${displayText(cur.incident.rules.join(', '))}`}
          </div>
          {(cur.incident?.entries_omitted ?? 0) > 0 && (
            <div className="muted small">
              {cur.incident?.entries_omitted} of {cur.incident?.entries_total} entries not kept
            </div>
          )}
          <ol className="timeline" data-testid="incident-timeline">
            {(cur.incident?.timeline ?? []).map((e, i) => (
              <li key={i} data-testid="timeline-entry" data-type={displayText(e.type ?? '')}>
                <span className="mono muted">{timeOf(e.time)}</span> <span className="mono">{displayText(e.type ?? '?')}</span>{' '}
                <span className="mono muted">pid {e.pid ?? '?'}</span> <span className="mono">{entryText(e)}</span>
                {Array.isArray(e.rules) && e.rules.length > 0 && <span className="tag">{displayText(e.rules.join(','))}</span>}
                {typeof e.alert_id === 'string' && (
                  <button type="button" className="linkish" onClick={() => onSelectAlert(e.alert_id as string)}>
                    alert
                  </button>
                )}
              </li>
            ))}
          </ol>
          {raised.length > 0 && (
            <div className="small">
              alerts raised:{' '}
              {raised.map((a) => (
                <button key={a.id} type="button" className="linkish mono" data-testid="incident-alert" onClick={() => onSelectAlert(a.id)}>
                  {displayText(a.rule_id)} {a.id}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
