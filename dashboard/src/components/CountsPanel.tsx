import { useMemo, useState } from 'react';
import { SEVERITIES, type Alert } from '../types';
import { displayText, formatTime, localZone } from '../lib/alert';
import { buildCounts, COUNT_GROUPS, type CountGroup } from '../lib/counts';

export interface CountsPanelProps {
  alerts: Alert[];
  now: number;
  bucketMs: number;
  buckets: number;
  /** click on a row label: filter the stream to that rule or severity */
  onPick?: (by: CountGroup, key: string) => void;
  initialBy?: CountGroup;
}

/** Counts over time by rule, severity or host: one row of small stacked (by severity) bars per group. */
export function CountsPanel({ alerts, now, bucketMs, buckets, onPick, initialBy = 'rule' }: CountsPanelProps) {
  const [by, setBy] = useState<CountGroup>(initialBy);
  const c = useMemo(() => buildCounts(alerts, by, { now, bucketMs, buckets, maxRows: 8 }), [alerts, by, now, bucketMs, buckets]);
  const secs = bucketMs < 60_000;
  const hhmm = (ms: number) => formatTime(ms).slice(0, secs ? 8 : 5);
  return (
    <section className="card" aria-label="alert counts over time" data-testid="counts">
      <div className="card-head">
        <h2>Counts over time</h2>
        <span className="muted small" data-testid="counts-total">
          {c.placed} in window
        </span>
        <span className="spacer" />
        <select aria-label="count by" value={by} onChange={(e) => setBy(e.target.value as CountGroup)} data-testid="counts-by">
          {COUNT_GROUPS.map((g) => (
            <option key={g} value={g}>
              by {g}
            </option>
          ))}
        </select>
      </div>
      <div className="card-body">
        {c.rows.length === 0 ? (
          <div className="empty small">No alerts in the last {Math.round((buckets * bucketMs) / 60000)} minutes.</div>
        ) : (
          <div className="counts">
            {c.rows.map((r) => {
              const pickable = onPick && !(by === 'host' && r.key === '(unknown host)') && !/^\d+ others$/.test(r.key);
              return (
                <div className="count-row" key={r.key} data-testid="count-row" data-key={r.key} data-total={r.total}>
                  {pickable ? (
                    <button type="button" className="count-label mono" onClick={() => onPick(by, r.key)} title={`show only ${displayText(r.key)}`}>
                      {displayText(r.key)}
                    </button>
                  ) : (
                    <span className="count-label mono" title={displayText(r.key)}>
                      {displayText(r.key)}
                    </span>
                  )}
                  <div className="spark" role="img" aria-label={`${displayText(r.key)}: ${r.total} alerts, ${r.counts.join(' ')} per ${secs ? `${bucketMs / 1000} s` : `${bucketMs / 60000} min`}`}>
                    {r.stacks.map((st, i) => {
                      const t0 = c.start + i * bucketMs;
                      return (
                        <div
                          key={i}
                          className="spark-col"
                          data-count={r.counts[i]}
                          title={`${hhmm(t0)}–${hhmm(t0 + bucketMs)} ${localZone(t0)}: ${r.counts[i]}`}
                        >
                          {st.map((v, s) =>
                            v > 0 ? <span key={s} className={`seg seg-${SEVERITIES[s]}`} style={{ height: `${(v / c.max) * 100}%` }} /> : null,
                          )}
                        </div>
                      );
                    })}
                  </div>
                  <span className="count-total mono">{r.total}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
