import type { MetricsView } from '../hooks/useMetrics';
import { byName, formatDuration, formatRate, gauge, seriesKey } from '../lib/metrics';
import { displayText } from '../lib/alert';
import { MiniBars, type BarItem } from './MiniBars';
import { Sparkbars } from './Sparkbars';

export function MetricsPanel({ m }: { m: MetricsView }) {
  const rateOf = (name: string, labels: Record<string, string>) => m.rates.get(seriesKey(name, labels))?.rate ?? 0;
  const events: BarItem[] = byName(m.samples, 'rtmon_events_total')
    .map((s) => {
      const r = rateOf(s.name, s.labels);
      const label = displayText(s.labels['type'] ?? 'all');
      return { key: label, label, value: r, text: formatRate(r) };
    })
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const drops: BarItem[] = byName(m.samples, 'rtmon_drops_total').map((s) => {
    const r = rateOf(s.name, s.labels);
    const label = displayText(s.labels['cause'] ?? 'all');
    return { key: label, label, value: s.value, text: `${s.value} (${formatRate(r)})`, alarm: s.value > 0 };
  });
  const fill = gauge(m.samples, 'rtmon_ringbuf_fill_ratio');
  const procs = gauge(m.samples, 'rtmon_processes');
  const uptime = gauge(m.samples, 'rtmon_uptime_seconds');
  const totalRate = m.eventRateHistory[m.eventRateHistory.length - 1];
  return (
    <section className="card" aria-label="event rates" data-testid="metrics">
      <div className="card-head">
        <h2>Events</h2>
        <span className="muted small">{totalRate === undefined ? 'measuring…' : `${formatRate(totalRate)} total`}</span>
        <span className="spacer" />
        {m.error !== null && <span className="warn small">metrics: {displayText(m.error)}</span>}
      </div>
      <div className="card-body metrics">
        <Sparkbars values={m.eventRateHistory} label="total event rate, recent polls" />
        {events.length === 0 ? <div className="muted small">no event counters yet</div> : <MiniBars items={events} testid="event-rates" columns={2} />}
        <div className="metrics-row">
          <div className="metric-drops">
            <div className="muted small">drops</div>
            {drops.length === 0 ? <div className="small muted">-</div> : <MiniBars items={drops} testid="drops" />}
          </div>
          <div className="kv small">
            <span>ring buffer</span>
            <span className="bar-track thin" title={fill === null ? '' : `${(fill * 100).toFixed(1)}%`}>
              <span className={fill !== null && fill > 0.8 ? 'bar-fill alarm' : 'bar-fill'} style={{ width: `${fill === null ? 0 : Math.min(100, fill * 100)}%` }} />
            </span>
            <span className="mono" data-testid="ringbuf">{fill === null ? '-' : `${(fill * 100).toFixed(1)}%`}</span>
            <span>processes</span>
            <span />
            <span className="mono">{procs === null ? '-' : procs}</span>
            <span>uptime</span>
            <span />
            <span className="mono">{uptime === null ? '-' : formatDuration(uptime)}</span>
          </div>
        </div>
      </div>
    </section>
  );
}
