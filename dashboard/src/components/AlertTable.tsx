import type { Alert } from '../types';
import { AlertRow } from './AlertRow';

export const MAX_ROWS = 500;

export interface AlertTableProps {
  alerts: Alert[];
  total: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function AlertTable({ alerts, total, selectedId, onSelect }: AlertTableProps) {
  const rows = alerts.length > MAX_ROWS ? alerts.slice(0, MAX_ROWS) : alerts;
  return (
    <div className="table-wrap">
      <table className="alerts" aria-label="alert stream">
        <thead>
          <tr>
            <th>time (UTC)</th>
            <th>severity</th>
            <th>rule</th>
            <th>pid</th>
            <th>process</th>
            <th>container / pod</th>
            <th>reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <AlertRow key={a.id} alert={a} selected={a.id === selectedId} onSelect={onSelect} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <div className="empty">{total === 0 ? 'No alerts yet. Waiting for rtmon…' : 'No alert matches the filters.'}</div>}
      {alerts.length > rows.length && (
        <div className="muted small pad">
          showing the newest {rows.length} of {alerts.length} matching alerts
        </div>
      )}
    </div>
  );
}
