import type { OlderState } from '../state/stream';

export interface LoadOlderProps {
  older: OlderState;
  onLoad: () => void;
}

/** The foot of the alert table: pages back in time through rtmon's history. */
export function LoadOlder({ older, onLoad }: LoadOlderProps) {
  const where = older.source === 'journal' ? 'from the journal' : older.source === 'memory' ? 'from rtmon’s memory' : '';
  if (older.source === null) return null;
  return (
    <div className="load-older" data-testid="load-older-bar">
      {older.cursor !== null ? (
        <button type="button" className="btn" data-testid="load-older" disabled={older.loading} onClick={onLoad}>
          {older.loading ? 'Loading older alerts…' : 'Load older alerts'}
        </button>
      ) : (
        <span className="muted small" data-testid="history-end">
          No older alerts {where}
        </span>
      )}
      {older.cursor !== null && <span className="muted small"> history {where}</span>}
      {older.error !== '' && (
        <span className="small" role="alert" data-testid="load-older-error">
          {' '}
          could not load older alerts ({older.error})
        </span>
      )}
    </div>
  );
}
