import type { Alert } from '../types';
import type { Filters, OlderState } from '../state/stream';
import type { Sort, SortKey } from '../lib/sort';
import { downloadText, exportFileName, toNdjson } from '../lib/export';
import { AlertTable } from './AlertTable';
import { FilterBar } from './FilterBar';
import { LoadOlder } from './LoadOlder';

export interface StreamPanelProps {
  visible: Alert[];
  total: number;
  paused: boolean;
  pending: number;
  filters: Filters;
  rules: string[];
  containers: { value: string; label: string }[];
  /** hosts seen: with more than one, a host column and a host filter */
  hosts?: string[];
  selectedId: string | null;
  onFilter: (patch: Partial<Filters>) => void;
  onClearFilters: () => void;
  onTogglePause: () => void;
  onSelect: (id: string) => void;
  sort?: Sort;
  onSort?: (key: SortKey) => void;
  now?: number;
  /** paging back in time; absent: no history control */
  older?: OlderState;
  onLoadOlder?: () => void;
  /** file writer (tests inject one); defaults to a browser download */
  download?: (name: string, text: string) => void;
}

export function StreamPanel(p: StreamPanelProps) {
  return (
    <section className="card stream" aria-label="live alert stream">
      <div className="card-head">
        <h2>Live alerts</h2>
        <span className="muted small" data-testid="stream-count">
          {p.visible.length === p.total ? `${p.total}` : `${p.visible.length} of ${p.total}`} shown
        </span>
        <span className="spacer" />
        {p.paused && (
          <span className="paused-note" data-testid="pending-count">
            paused · {p.pending} new
          </span>
        )}
        <button
          type="button"
          className="btn"
          data-testid="export"
          disabled={p.visible.length === 0}
          title="download the alerts matching the filters as NDJSON (one JSON alert per line)"
          onClick={() => (p.download ?? downloadText)(exportFileName(Date.now()), toNdjson(p.visible))}
        >
          Export NDJSON ({p.visible.length})
        </button>
        <button type="button" className={p.paused ? 'btn btn-primary' : 'btn'} onClick={p.onTogglePause} data-testid="pause">
          {p.paused ? `Resume${p.pending > 0 ? ` (${p.pending})` : ''}` : 'Pause'}
        </button>
      </div>
      <FilterBar filters={p.filters} rules={p.rules} containers={p.containers} hosts={p.hosts} onChange={p.onFilter} onClear={p.onClearFilters} />
      <AlertTable alerts={p.visible} total={p.total} selectedId={p.selectedId} onSelect={p.onSelect} sort={p.sort} onSort={p.onSort} now={p.now} showHost={(p.hosts?.length ?? 0) > 1} />
      {p.older && p.onLoadOlder && <LoadOlder older={p.older} onLoad={p.onLoadOlder} />}
    </section>
  );
}
