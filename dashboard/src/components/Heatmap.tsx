import { useMemo } from 'react';
import type { Alert } from '../types';
import { buildHeatmap, intensity } from '../lib/heatmap';
import { displayText, formatTime, localZone } from '../lib/alert';

export const BUCKET_CHOICES = [
  { ms: 10_000, label: '10 s' },
  { ms: 60_000, label: '1 min' },
  { ms: 300_000, label: '5 min' },
];

export interface HeatmapProps {
  alerts: Alert[];
  now: number;
  bucketMs: number;
  buckets: number;
  onBucketMs: (ms: number) => void;
  /** click on a row label: filter the stream to that container */
  onPickRow: (filter: string) => void;
}

function hhmm(ms: number, withSeconds: boolean): string {
  const t = formatTime(ms);
  return withSeconds ? t.slice(0, 8) : t.slice(0, 5);
}

export function Heatmap({ alerts, now, bucketMs, buckets, onBucketMs, onPickRow }: HeatmapProps) {
  const hm = useMemo(() => buildHeatmap(alerts, { now, bucketMs, buckets, maxRows: 10 }), [alerts, now, bucketMs, buckets]);
  const secs = bucketMs < 60_000;
  const end = hm.start + hm.buckets * hm.bucketMs;
  return (
    <section className="card" aria-label="alert density by container" data-testid="heatmap">
      <div className="card-head">
        <h2>Alert density</h2>
        <span className="muted small" data-testid="heatmap-total">
          {hm.placed} in window
        </span>
        <span className="spacer" />
        <select aria-label="bucket size" value={bucketMs} onChange={(e) => onBucketMs(Number(e.target.value))}>
          {BUCKET_CHOICES.map((c) => (
            <option key={c.ms} value={c.ms}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div className="card-body">
        {hm.rows.length === 0 ? (
          <div className="empty small">No alerts in the last {Math.round((hm.buckets * hm.bucketMs) / 60000)} minutes.</div>
        ) : (
          <div className="heat" style={{ gridTemplateColumns: `minmax(80px, 130px) repeat(${hm.buckets}, 1fr) 34px` }}>
            {hm.rows.map((r) => (
              <div className="heat-row" key={r.key} data-testid="heat-row" data-row={r.label} data-total={r.total}>
                <button
                  type="button"
                  className={r.key === 'host' ? 'heat-label mono muted' : 'heat-label mono'}
                  title={r.namespace ? `namespace ${displayText(r.namespace)}` : displayText(r.label)}
                  onClick={() => r.key !== 'other' && onPickRow(r.key === 'host' ? 'host' : `c:${r.label}`)}
                >
                  {displayText(r.label)}
                </button>
                {r.counts.map((c, i) => {
                  const t0 = hm.start + i * hm.bucketMs;
                  return (
                    <div
                      key={i}
                      className={`cell i${intensity(c, hm.max)}`}
                      data-testid="heat-cell"
                      data-row={r.label}
                      data-count={c}
                      title={`${displayText(r.label)} ${hhmm(t0, secs)}–${hhmm(t0 + hm.bucketMs, secs)} ${localZone(t0)}: ${c} alert${c === 1 ? '' : 's'}`}
                    />
                  );
                })}
                <span className="heat-total mono">{r.total}</span>
              </div>
            ))}
            <div className="heat-axis">
              <span />
              <span className="mono muted small">{hhmm(hm.start, secs)}</span>
              <span className="mono muted small">{hhmm(end, secs)} {localZone(end)}</span>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
