import { useMemo } from 'react';
import type { Alert } from '../types';
import { alertKey, localZone } from '../lib/alert';
import { DEFAULT_SORT, sortAlerts, type Sort, type SortKey } from '../lib/sort';
import { AlertRow } from './AlertRow';

export const MAX_ROWS = 500;

export interface AlertTableProps {
  /** the matching alerts, newest first */
  alerts: Alert[];
  total: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
  sort?: Sort;
  onSort?: (key: SortKey) => void;
  /** browser time (ms) for the ages; defaults to the render time */
  now?: number;
  /** a host column (alerts from more than one host: rtmond --aggregate) */
  showHost?: boolean;
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'time', label: 'time' },
  { key: 'host', label: 'host' },
  { key: 'severity', label: 'severity' },
  { key: 'rule', label: 'rule' },
  { key: 'pid', label: 'pid' },
  { key: 'process', label: 'process' },
  { key: 'container', label: 'container / pod' },
  { key: 'reason', label: 'reason' },
];

export function AlertTable({ alerts, total, selectedId, onSelect, sort = DEFAULT_SORT, onSort, now, showHost = false }: AlertTableProps) {
  const sorted = useMemo(
    () => (sort.key === DEFAULT_SORT.key && sort.dir === DEFAULT_SORT.dir ? alerts : sortAlerts(alerts, sort)),
    [alerts, sort],
  );
  const rows = sorted.length > MAX_ROWS ? sorted.slice(0, MAX_ROWS) : sorted;
  const at = now ?? Date.now();
  return (
    <div className="table-wrap">
      <table className="alerts" aria-label="alert stream">
        <thead>
          <tr>
            {COLUMNS.filter((c) => showHost || c.key !== 'host').map((c) => {
              const active = sort.key === c.key;
              const label = c.key === 'time' ? `time (${localZone(at)})` : c.label;
              return (
                <th key={c.key} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} data-col={c.key}>
                  {onSort ? (
                    <button type="button" className="th-sort" onClick={() => onSort(c.key)} data-testid={`sort-${c.key}`}>
                      {label}
                      <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <AlertRow key={alertKey(a)} alert={a} selected={a.id === selectedId} onSelect={onSelect} now={at} showHost={showHost} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <div className="empty">{total === 0 ? 'No alerts yet. Waiting for rtmon…' : 'No alert matches the filters.'}</div>}
      {sorted.length > rows.length && (
        <div className="muted small pad">
          showing the first {rows.length} of {sorted.length} matching alerts
        </div>
      )}
    </div>
  );
}
