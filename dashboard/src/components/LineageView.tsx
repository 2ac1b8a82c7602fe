import type { Alert } from '../types';
import { buildLineage } from '../lib/lineage';
import { displayText } from '../lib/alert';

export interface LineageViewProps {
  alert: Alert | null;
}

/** The ancestry of the selected alert's process, root at the top down to the acting process. */
export function LineageView({ alert }: LineageViewProps) {
  if (!alert) return <div className="empty small">Select an alert to see its process lineage.</div>;
  if (alert.event === undefined) {
    return <div className="empty small" data-testid="lineage-none">A summary of repeats: no single process, no lineage.</div>;
  }
  const nodes = buildLineage(alert);
  // deep trees indent less, so the acting process still fits the panel
  const step = nodes.length > 6 ? Math.max(4, Math.floor(80 / (nodes.length - 1))) : 14;
  return (
    <ol className="lineage" data-testid="lineage" aria-label="process lineage, root first">
      {nodes.map((n) => (
        <li
          key={`${n.depth}-${n.pid}`}
          className={n.actor ? 'lnode actor' : 'lnode'}
          style={{ marginLeft: `${n.depth * step}px` }}
          data-testid="lineage-node"
          data-pid={n.pid}
          data-actor={n.actor ? 'true' : 'false'}
        >
          {n.depth > 0 && <span className="elbow" aria-hidden="true">└─</span>}
          <span className="mono lcomm">{n.comm === null ? (n.inferred ? 'parent' : '?') : displayText(n.comm)}</span>
          <span className="mono muted lpid">{n.pid >= 0 ? `pid ${n.pid}` : 'pid ?'}</span>
          {n.exe !== null && <span className="mono muted lexe">{displayText(n.exe)}</span>}
          {n.actor && (
            <span className="tag" title={displayText(alert.rule_id)}>
              {displayText(alert.rule_id)}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
