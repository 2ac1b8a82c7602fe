import type { Alert } from '../types';
import { displayText } from '../lib/alert';
import { LineageView } from './LineageView';

export function LineagePanel({ alert }: { alert: Alert | null }) {
  return (
    <section className="card" aria-label="process lineage" data-testid="lineage-panel">
      <div className="card-head">
        <h2>Process lineage</h2>
        {alert && <span className="muted small mono" title={alert.id}>{displayText(alert.rule_id)} · {alert.event ? `pid ${alert.event.pid ?? '?'}` : 'summary'}</span>}
      </div>
      <div className="card-body">
        <LineageView alert={alert} />
      </div>
    </section>
  );
}
