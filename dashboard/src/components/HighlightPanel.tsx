import type { Alert } from '../types';
import { alertTimeMs, displayText, formatAgo, formatLocal } from '../lib/alert';

export interface HighlightPanelProps {
  title: string;
  ruleId: string;
  /** every alert of that rule, oldest first */
  alerts: Alert[];
  /** the "where" of one alert: address or target */
  detail: (a: Alert) => string | null;
  detailLabel: string;
  onSelect: (id: string) => void;
  latest?: number;
  /** browser time (ms) for the ages */
  now?: number;
}

export function HighlightPanel({ title, ruleId, alerts, detail, detailLabel, onSelect, latest = 6, now }: HighlightPanelProps) {
  const recent = alerts.slice(-latest).reverse();
  const hot = alerts.length > 0;
  return (
    <section className={hot ? 'card hl hot' : 'card hl'} aria-label={title} data-testid={`panel-${ruleId}`}>
      <div className="card-head">
        <h2>{title}</h2>
        <span className="muted small mono">{ruleId}</span>
        <span className="spacer" />
        <span className="hl-count" data-testid="panel-count">
          {alerts.length}
        </span>
      </div>
      <ul className="hl-list">
        {recent.length === 0 && <li className="muted small">none seen</li>}
        {recent.map((a) => (
          <li key={a.id}>
            <button type="button" className="hl-item" onClick={() => onSelect(a.id)} data-testid="panel-item" data-pid={a.event?.pid ?? ''}>
              <span className="mono muted" title={formatLocal(alertTimeMs(a))}>
                {formatAgo(alertTimeMs(a), now ?? Date.now())}
              </span>
              <span className="mono">{displayText(a.event?.comm ?? '?')}</span>
              <span className="mono muted">pid {a.event?.pid ?? '?'}</span>
              <span className="mono hl-detail" title={detailLabel}>
                {displayText(detail(a) ?? '-')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
