import type { Alert } from '../types';
import { buildLineage } from '../lib/lineage';
import { displayText } from '../lib/alert';

export interface LineageViewProps {
  alert: Alert | null;
}

/** The ancestry of the selected alert's process, root at the top down to the acting process. */
export function LineageView({ alert }: LineageViewProps) {
  if (!alert) return <div className="empty small">Select an alert to see its process lineage.</div>;
  const nodes = buildLineage(alert);
  return (
    <ol className="lineage" data-testid="lineage" aria-label="process lineage, root first">
      {nodes.map((n) => (
        <li
          key={`${n.depth}-${n.pid}`}
          className={n.actor ? 'lnode actor' : 'lnode'}
          style={{ marginLeft: `${Math.min(n.depth, 12) * 14}px` }}
          data-testid="lineage-node"
          data-pid={n.pid}
          data-actor={n.actor ? 'true' : 'false'}
        >
          {n.depth > 0 && <span className="elbow" aria-hidden="true">└─</span>}
          <span className="mono lcomm">{n.comm === null ? (n.inferred ? 'parent' : '?') : displayText(n.comm)}</span>
          <span className="mono muted lpid">{n.pid >= 0 ? `pid ${n.pid}` : 'pid ?'}</span>
          {n.exe !== null && <span className="mono muted lexe">{displayText(n.exe)}</span>}
          {n.actor && <span className="tag">{displayText(alert.rule_id)}</span>}
        </li>
      ))}
    </ol>
  );
}
